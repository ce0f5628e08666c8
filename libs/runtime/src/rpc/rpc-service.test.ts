import { describe, expect, it } from 'vitest';

import { EddyError } from '../core/errors.js';
import { LocalRpcService, RpcConnectionError } from './rpc-service.js';

interface Payload {
  readonly items: number[];
  readonly nested: { label: string };
}

interface EchoGateway {
  store(payload: Payload): Promise<void>;
  echo(payload: Payload): Promise<Payload>;
  fail(message: string): Promise<void>;
}

/** An endpoint that keeps what it was sent and hands out its own live state. */
class EchoEndpoint implements EchoGateway {
  readonly received: Payload[] = [];
  readonly state: Payload = { items: [1, 2, 3], nested: { label: 'mine' } };
  calls = 0;

  store(payload: Payload): Promise<void> {
    this.calls++;
    this.received.push(payload);
    return Promise.resolve();
  }
  echo(_payload: Payload): Promise<Payload> {
    this.calls++;
    return Promise.resolve(this.state);
  }
  fail(message: string): Promise<void> {
    return Promise.reject(new EddyError(message));
  }
}

describe('LocalRpcService', () => {
  it('gives each server its own address under the name prefix', () => {
    const rpc = new LocalRpcService();
    const first = rpc.startServer('taskmanager', new EchoEndpoint());
    const second = rpc.startServer('taskmanager', new EchoEndpoint());
    expect(first).toMatch(/^local:\/\/taskmanager-/);
    expect(second).not.toBe(first);
  });

  it('runs a call asynchronously, never inside the caller', async () => {
    const rpc = new LocalRpcService();
    const endpoint = new EchoEndpoint();
    const gateway = await rpc.connect<EchoGateway>(rpc.startServer('echo', endpoint));

    const call = gateway.store({ items: [], nested: { label: 'a' } });
    expect(endpoint.calls).toBe(0);
    await call;
    expect(endpoint.calls).toBe(1);
  });

  it('deep-copies arguments: changing them after the call does not reach the endpoint', async () => {
    const rpc = new LocalRpcService();
    const endpoint = new EchoEndpoint();
    const gateway = await rpc.connect<EchoGateway>(rpc.startServer('echo', endpoint));
    const payload: Payload = { items: [1], nested: { label: 'before' } };

    const call = gateway.store(payload);
    payload.items.push(2);
    payload.nested.label = 'after';
    await call;

    expect(endpoint.received).toEqual([{ items: [1], nested: { label: 'before' } }]);
    expect(endpoint.received[0]).not.toBe(payload);
  });

  it('rejects an argument that could not cross a process boundary, without calling the endpoint', async () => {
    const rpc = new LocalRpcService();
    const endpoint = new EchoEndpoint();
    const gateway = await rpc.connect<EchoGateway>(rpc.startServer('echo', endpoint));
    const live = { items: [], nested: { label: 'x', callback: () => undefined } } as Payload;

    await expect(gateway.store(live)).rejects.toThrow();
    expect(endpoint.calls).toBe(0);
  });

  it('deep-copies results: changing a result does not change the endpoint', async () => {
    const rpc = new LocalRpcService();
    const endpoint = new EchoEndpoint();
    const gateway = await rpc.connect<EchoGateway>(rpc.startServer('echo', endpoint));

    const result = await gateway.echo({ items: [], nested: { label: '' } });
    expect(result).toEqual({ items: [1, 2, 3], nested: { label: 'mine' } });
    result.items.push(4);
    result.nested.label = 'changed';

    expect(endpoint.state).toEqual({ items: [1, 2, 3], nested: { label: 'mine' } });
  });

  it('passes the endpoint’s error to the caller', async () => {
    const rpc = new LocalRpcService();
    const gateway = await rpc.connect<EchoGateway>(rpc.startServer('echo', new EchoEndpoint()));

    const failure = gateway.fail('no such thing');
    await expect(failure).rejects.toBeInstanceOf(EddyError);
    await expect(failure).rejects.toThrow('no such thing');
  });

  it('rejects connecting to an unknown address with RpcConnectionError', async () => {
    const rpc = new LocalRpcService();
    const connecting = rpc.connect<EchoGateway>('local://nobody-0');
    await expect(connecting).rejects.toBeInstanceOf(RpcConnectionError);
    await expect(connecting).rejects.toMatchObject({ address: 'local://nobody-0' });
  });

  it('rejects calls to a stopped server, even through a gateway obtained before', async () => {
    const rpc = new LocalRpcService();
    const endpoint = new EchoEndpoint();
    const address = rpc.startServer('echo', endpoint);
    const gateway = await rpc.connect<EchoGateway>(address);

    rpc.stopServer(address);

    await expect(gateway.store({ items: [], nested: { label: '' } })).rejects.toBeInstanceOf(
      RpcConnectionError,
    );
    await expect(rpc.connect<EchoGateway>(address)).rejects.toBeInstanceOf(RpcConnectionError);
    expect(endpoint.calls).toBe(0);
  });

  it('rejects a call of a method the endpoint does not have', async () => {
    const rpc = new LocalRpcService();
    const address = rpc.startServer('echo', new EchoEndpoint());
    const gateway = await rpc.connect<{ missing(): Promise<void> }>(address);
    await expect(gateway.missing()).rejects.toThrow(/has no method missing/);
  });

  it('is not a thenable, so a gateway can be awaited', async () => {
    const rpc = new LocalRpcService();
    const endpoint = new EchoEndpoint();
    const gateway = await rpc.connect<EchoGateway>(rpc.startServer('echo', endpoint));
    const same = await Promise.resolve(gateway);
    await same.store({ items: [7], nested: { label: 'x' } });
    expect(endpoint.received).toHaveLength(1);
  });

  it('after closeAsync, has no endpoints and starts none', async () => {
    const rpc = new LocalRpcService();
    const address = rpc.startServer('echo', new EchoEndpoint());
    const gateway = await rpc.connect<EchoGateway>(address);

    await rpc.closeAsync();

    await expect(gateway.store({ items: [], nested: { label: '' } })).rejects.toBeInstanceOf(
      RpcConnectionError,
    );
    expect(() => rpc.startServer('echo', new EchoEndpoint())).toThrow(RpcConnectionError);
  });
});
