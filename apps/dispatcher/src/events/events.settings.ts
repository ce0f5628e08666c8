/** What the live events need from the service's settings. */
export interface EventsSettings {
  /** socket.io connections must present it as `auth: {token}`; undefined: open. */
  readonly authToken: string | undefined;
  /** How often running jobs' state counts and checkpoints are looked at (ms). Default 500. */
  readonly jobIntervalMs?: number;
  /** How often the TaskManagers are listed and diffed (ms). Default 1000. */
  readonly clusterIntervalMs?: number;
}

export const EVENTS_SETTINGS = Symbol('EVENTS_SETTINGS');
