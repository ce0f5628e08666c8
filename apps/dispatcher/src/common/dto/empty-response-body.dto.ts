/** Flink's EmptyResponseBody: `{}`. */
export class EmptyResponseBodyDto {}
