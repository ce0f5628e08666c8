/**
 * The JSON a DTO class describes, as plain data: DTO classes are OpenAPI schemas, and handlers
 * answer with plain objects of their shape (never instances).
 */
export type ResponseBody<T> = T extends readonly (infer U)[]
  ? ResponseBody<U>[]
  : T extends object
    ? { [K in keyof T]: ResponseBody<T[K]> }
    : T;
