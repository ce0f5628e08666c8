import { Inject, Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { OnGatewayInit } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { tokenMatches } from '../common/security.js';
import { EVENTS_SETTINGS } from './events.settings.js';
import type { EventsSettings } from './events.settings.js';
import { CLUSTER_ROOM, jobRoom } from './events.types.js';
import type { ClientToServerEvents, ServerToClientEvents } from './events.types.js';

export type EventsServer = Server<ClientToServerEvents, ServerToClientEvents>;
type EventsSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const JOB_ID = /^[0-9a-f]{32}$/;

function jobIdOf(request: unknown): string | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  const jobId = (request as { jobId?: unknown }).jobId;
  return typeof jobId === 'string' && JOB_ID.test(jobId) ? jobId : undefined;
}

/**
 * socket.io on the REST server's port (path `/socket.io`): clients join `job:<jobId>` or `cluster`
 * rooms; EventsPublisher sends into them. With a token configured, a connection must present it
 * (`auth: {token}`) or is refused with `connect_error` "Unauthorized: …".
 */
@WebSocketGateway({ cors: { origin: '*' } })
export class EventsGateway implements OnGatewayInit<EventsServer> {
  private readonly logger = new Logger(EventsGateway.name);
  private io: EventsServer | undefined;

  constructor(@Inject(EVENTS_SETTINGS) private readonly settings: EventsSettings) {}

  afterInit(server: EventsServer): void {
    this.io = server;
    const token = this.settings.authToken;
    if (token !== undefined) {
      server.use((socket, next) => {
        const presented = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
        if (tokenMatches(presented, token)) next();
        else next(new Error('Unauthorized: a valid token is required (auth: {token}).'));
      });
    }
    this.logger.log('Live events on socket.io (path /socket.io).');
  }

  /** The socket.io server, once initialised. */
  get server(): EventsServer | undefined {
    return this.io;
  }

  /** Whether anyone listens in `job:<jobId>` or `cluster`. */
  hasListeners(jobId: string | undefined): boolean {
    const rooms = this.io?.sockets.adapter.rooms;
    if (rooms === undefined) return false;
    if ((rooms.get(CLUSTER_ROOM)?.size ?? 0) > 0) return true;
    return jobId !== undefined && (rooms.get(jobRoom(jobId))?.size ?? 0) > 0;
  }

  @SubscribeMessage('subscribe')
  async subscribe(
    @ConnectedSocket() socket: EventsSocket,
    @MessageBody() request: unknown,
  ): Promise<boolean> {
    const jobId = jobIdOf(request);
    if (jobId === undefined) return false;
    await socket.join(jobRoom(jobId));
    return true;
  }

  @SubscribeMessage('unsubscribe')
  async unsubscribe(
    @ConnectedSocket() socket: EventsSocket,
    @MessageBody() request: unknown,
  ): Promise<boolean> {
    const jobId = jobIdOf(request);
    if (jobId === undefined) return false;
    await socket.leave(jobRoom(jobId));
    return true;
  }

  @SubscribeMessage('subscribe-cluster')
  async subscribeCluster(@ConnectedSocket() socket: EventsSocket): Promise<boolean> {
    await socket.join(CLUSTER_ROOM);
    return true;
  }
}
