import { Inject, Injectable } from '@nestjs/common';
import type { Bus } from '@tonearm/bus';
import type { EventData, EventType } from '@tonearm/contracts';
import type { Logger } from '@tonearm/runtime';
import { BUS, LOGGER } from '../service-host.providers.ts';

/**
 * Publishes identity's events on the bus. A failure is logged, not thrown: the change it
 * reports is already committed, and refusing the request would not undo it.
 */
@Injectable()
export class EventRepository {
  readonly #bus: Bus;
  readonly #logger: Logger;

  constructor(@Inject(BUS) bus: Bus, @Inject(LOGGER) logger: Logger) {
    this.#bus = bus;
    this.#logger = logger;
  }

  async publish<T extends EventType>(type: T, data: EventData<T>): Promise<void> {
    try {
      await this.#bus.publish(type, { data });
    } catch (error) {
      this.#logger.error({ err: error, eventType: type }, 'could not publish an identity event');
    }
  }
}
