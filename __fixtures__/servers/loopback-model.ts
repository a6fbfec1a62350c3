/**
 * The loopback Responses server and an undici Agent for a test file: started once, closed after, and the
 * recorded requests cleared before each test. Call at the top level of a test file.
 */
import { Agent } from 'undici'
import { type ResponsesServer, startResponsesServer } from './responses-server.js'

export interface LoopbackModel {
  readonly server: ResponsesServer
  readonly agent: Agent
}

export function useLoopbackModel(): LoopbackModel {
  let server: ResponsesServer | undefined
  let agent: Agent | undefined
  beforeAll(async () => {
    server = await startResponsesServer()
    agent = new Agent()
  })
  afterAll(async () => {
    await server?.close()
    await agent?.close()
  })
  beforeEach(() => {
    if (server !== undefined) server.requests.length = 0
  })
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useLoopbackModel: used outside a test')
    return value
  }
  return {
    get server() {
      return started(server)
    },
    get agent() {
      return started(agent)
    }
  }
}
