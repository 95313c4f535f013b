/**
 * Makes `target` (a class's prototype) stand in for a web class (`Request`,
 * `Response`): every getter and method of `web` that `target` does not define
 * itself is answered by the real object `real(this)` builds on first use, and
 * `target` inherits from `web`, so `instanceof` holds. Building a real
 * Request or Response (header guards, abort signal, body stream) costs more
 * than the rest of a small request's handling; the members `target` defines
 * answer without it, and the real object is built only if anything else is used.
 */
export function deferTo<T extends object>(target: T, web: object, real: (self: T) => object): void {
  for (const key of Reflect.ownKeys(web)) {
    if (key === "constructor" || Object.hasOwn(target, key)) continue;
    const member = Object.getOwnPropertyDescriptor(web, key);
    if (member?.get)
      Object.defineProperty(target, key, {
        configurable: true,
        get(this: T) {
          return Reflect.get(real(this), key);
        },
      });
    else if (typeof member?.value === "function")
      Object.defineProperty(target, key, {
        configurable: true,
        writable: true,
        value(this: T, ...args: unknown[]) {
          const object = real(this);
          return (Reflect.get(object, key) as (...a: unknown[]) => unknown).apply(object, args);
        },
      });
  }
  Object.setPrototypeOf(target, web);
}
