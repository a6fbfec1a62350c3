/**
 * Names never worth a cross-file search: built-ins and standard-library names of the parsed languages, and the
 * keywords of the languages the fallback reads (a grammar never reports keywords as names, the fallback would).
 */

const words = (text: string): ReadonlySet<string> => new Set(text.split(/\s+/).filter((word) => word !== ''))

/** Built-ins and standard-library names of JavaScript/TypeScript, Python, Go and Java. */
export const COMMON_NAMES: ReadonlySet<string> = words(`
  console log info warn error debug trace toString valueOf length push pop shift unshift map filter reduce forEach
  some every find findIndex includes indexOf join split slice splice concat keys values entries then catch finally
  resolve reject apply call bind constructor prototype Object Array String Number Boolean Promise Error TypeError
  RangeError Math JSON Date Map Set WeakMap WeakSet RegExp Symbol BigInt undefined NaN Infinity require module
  exports process window document globalThis parseInt parseFloat isNaN setTimeout clearTimeout setInterval
  clearInterval Buffer URL fetch stringify parse assign freeze hasOwnProperty isArray from of trim replace
  startsWith endsWith toLowerCase toUpperCase charAt padStart padEnd Partial Record Readonly ReadonlyArray Pick Omit
  Exclude Extract ReturnType Parameters Awaited NonNullable unknown never any void
  self cls print len range str int float list dict tuple bool bytes object isinstance issubclass super open
  enumerate zip sorted reversed min max sum abs any all type format append extend items get update strip
  lstrip rstrip lower upper getattr setattr hasattr iter next repr Exception ValueError KeyError
  fmt err nil ctx cap make new panic recover string int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 uintptr
  byte rune float32 float64 complex64 complex128 error Println Printf Print Sprintf Sprint Errorf Context Background
  System out println String Integer Long Double Float Character List ArrayList Map HashMap Set HashSet Optional
  Override Deprecated Exception RuntimeException IllegalArgumentException IllegalStateException equals hashCode
  size put add remove isEmpty contains stream collect getClass var
`)

/** Keywords of common languages the fallback reads (C family, Ruby, shell, Lua, Rust, PHP, Kotlin, Swift...). */
export const FALLBACK_KEYWORDS: ReadonlySet<string> = words(`
  if else elif elsif unless then fi for foreach while until do done case esac when in end return break continue
  next redo retry yield function func fn def sub proc lambda class module struct enum union interface trait impl
  namespace package import from export use using require include extends implements public private protected
  internal static final const let var val local my our auto register volatile extern inline virtual override
  abstract sealed open new delete this self super null nil none true false and or not xor is as typeof sizeof
  instanceof try catch except finally throw throws raise rescue ensure begin goto switch default async await
  match where mut ref pub crate mod dyn move loop select go chan defer fallthrough type alias typedef template
  typename operator friend explicit echo printf print puts local readonly declare set unset shift exit source
  alias let then elseif endif endfor endwhile endfunction void int char short long float double bool boolean
  signed unsigned string object undef defined wantarray attr_reader attr_writer attr_accessor
`)
