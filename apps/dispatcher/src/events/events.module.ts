import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { EventsGateway } from './events.gateway.js';
import { EventsPublisher } from './events.publisher.js';
import { EVENTS_SETTINGS } from './events.settings.js';
import type { EventsSettings } from './events.settings.js';

/** Live events over socket.io (see events.types.ts for the typed event maps and rooms). */
@Module({})
export class EventsModule {
  static forRoot(settings: EventsSettings): DynamicModule {
    return {
      module: EventsModule,
      providers: [{ provide: EVENTS_SETTINGS, useValue: settings }, EventsGateway, EventsPublisher],
    };
  }
}
