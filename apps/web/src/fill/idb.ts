// A tiny promise wrapper over IndexedDB (no library): one database, key-path stores, whole-record
// get/put/delete/list. Falls back to memory when IndexedDB is unavailable (blocked in some iframes or
// private modes) so sending still works online — only the "survives a reload" guarantee is lost.

export interface KeyValueStore<T> {
  get(key: string): Promise<T | undefined>;
  put(value: T): Promise<void>;
  delete(key: string): Promise<void>;
  all(): Promise<T[]>;
}

function request<R>(req: IDBRequest<R>): Promise<R> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export function openDatabase(
  name: string,
  stores: Record<string, string>,
  version = 1,
): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const idb = globalThis.indexedDB;
    if (!idb) {
      reject(new Error("IndexedDB is not available"));
      return;
    }
    const req = idb.open(name, version);
    req.onupgradeneeded = () => {
      for (const [store, keyPath] of Object.entries(stores)) {
        if (!req.result.objectStoreNames.contains(store)) req.result.createObjectStore(store, { keyPath });
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error("IndexedDB upgrade blocked"));
  });
}

export function idbStore<T>(db: IDBDatabase, store: string): KeyValueStore<T> {
  const run = <R>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<R>): Promise<R> => {
    const tx = db.transaction(store, mode);
    const result = request(fn(tx.objectStore(store)));
    // Resolve only once the transaction committed, so a "queued" answer really is on disk.
    return new Promise<R>((resolve, reject) => {
      tx.oncomplete = () => result.then(resolve, reject);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
    });
  };
  return {
    get: (key) => run("readonly", (s) => s.get(key) as IDBRequest<T | undefined>),
    put: async (value) => {
      await run("readwrite", (s) => s.put(value));
    },
    delete: async (key) => {
      await run("readwrite", (s) => s.delete(key));
    },
    all: () => run("readonly", (s) => s.getAll() as IDBRequest<T[]>),
  };
}

export function memoryStore<T>(keyPath: keyof T): KeyValueStore<T> {
  const map = new Map<string, T>();
  return {
    get: async (key) => map.get(key),
    put: async (value) => {
      map.set(String(value[keyPath]), value);
    },
    delete: async (key) => {
      map.delete(key);
    },
    all: async () => [...map.values()],
  };
}
