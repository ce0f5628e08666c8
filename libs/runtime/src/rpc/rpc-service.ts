import { EddyError } from '../core/errors.js';

/** An RPC endpoint could not be reached: unknown address, or it was stopped. */
export class RpcConnectionError extends EddyError {
  constructor(
    readonly address: string,
    message?: string,
  ) {
    super(message ?? `Could not connect to rpc endpoint under address ${address}.`);
  }
}

/**
 * Gateways are the only way components talk across a (possible) process boundary: every method
 * is async and takes and returns plain data. This type keeps only a gateway's methods.
 */
export type RpcGateway<G> = {
  [K in keyof G as G[K] extends (...args: never[]) => Promise<unknown> ? K : never]: G[K];
};

/**
 * Hosts RPC endpoints and connects to them by address (Flink's RpcService). The local
 * implementation runs them in this process; a remote one crosses the network with the same
 * gateway interfaces.
 */
export interface RpcService {
  /** Makes `endpoint` reachable under a new address with the given name prefix; returns the address. */
  startServer<G extends object>(name: string, endpoint: G): string;
  stopServer(address: string): void;
  connect<G extends object>(address: string): Promise<G>;
  closeAsync(): Promise<void>;
}

/**
 * RPC inside one process. Calls are asynchronous (never re-entrant into the caller's stack) and
 * arguments and results are deep-copied, so code that passes live objects through a gateway fails
 * here exactly as it would across processes.
 */
export class LocalRpcService implements RpcService {
  private static nextId = 0;
  private readonly prefix = `${LocalRpcService.nextId++}`;
  private readonly served = new Set<string>();
  private counter = 0;
  private closed = false;

  /**
   * @param endpoints the address book; services given the same one reach each other's endpoints
   *   (a MiniCluster with RpcServiceSharing.DEDICATED gives each component its own service).
   */
  constructor(private readonly endpoints: Map<string, object> = new Map()) {}

  startServer<G extends object>(name: string, endpoint: G): string {
    if (this.closed) throw new RpcConnectionError(name, 'The rpc service is closed.');
    const address = `local://${name}-${this.prefix}.${this.counter++}`;
    this.endpoints.set(address, endpoint);
    this.served.add(address);
    return address;
  }

  stopServer(address: string): void {
    if (this.served.delete(address)) this.endpoints.delete(address);
  }

  connect<G extends object>(address: string): Promise<G> {
    if (!this.endpoints.has(address)) return Promise.reject(new RpcConnectionError(address));
    const proxy = new Proxy(
      {},
      {
        get: (_target, method) => {
          if (typeof method !== 'string' || method === 'then') return undefined;
          return (...args: unknown[]) => this.invoke(address, method, args);
        },
      },
    );
    return Promise.resolve(proxy as G);
  }

  closeAsync(): Promise<void> {
    this.closed = true;
    for (const address of this.served) this.endpoints.delete(address);
    this.served.clear();
    return Promise.resolve();
  }

  private invoke(address: string, method: string, args: unknown[]): Promise<unknown> {
    // Copy at call time, as a remote call serializes then: later changes by the caller must not leak.
    let copied: unknown[];
    try {
      copied = structuredClone(args);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return this.dispatch(address, method, copied);
  }

  private async dispatch(address: string, method: string, args: unknown[]): Promise<unknown> {
    await Promise.resolve();
    const endpoint = this.endpoints.get(address) as Record<string, unknown> | undefined;
    if (endpoint === undefined)
      throw new RpcConnectionError(address, `The rpc endpoint ${address} is gone (called ${method}).`);
    const fn = endpoint[method];
    if (typeof fn !== 'function')
      throw new RpcConnectionError(address, `The rpc endpoint ${address} has no method ${method}.`);
    const result: unknown = await (fn as (...a: unknown[]) => unknown).apply(endpoint, args);
    return result === undefined ? undefined : structuredClone(result);
  }
}
