import type { AddressInfo } from 'node:net';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/events/events.types.js';
import type { TestApp } from './test-app.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A socket.io client connected to the test app (rejects on connect_error). */
export async function connect(app: TestApp, auth?: { token: string }): Promise<Client> {
  const { port } = app.app.getHttpServer().address() as AddressInfo;
  const socket: Client = io(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(auth === undefined ? {} : { auth }),
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      resolve();
    });
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
  return socket;
}
