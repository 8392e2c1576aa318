// Argon2id for the vault, in a worker of its own: hash-wasm (WebAssembly), byte for byte the
// same as pyca/cryptography's Argon2id. While it runs, Python and the screen carry on.
// The page starts it while the lock screen is up and first sends {warm: true}: a tiny Argon2id
// (nothing secret, 8 KiB) that compiles hash-wasm's WebAssembly before the passphrase comes.
importScripts("hash-wasm/argon2.umd.min.js");

const warm = () =>
  self.hashwasm.argon2id({
    password: "warm",
    salt: new Uint8Array(16),
    parallelism: 1,
    iterations: 1,
    memorySize: 8,
    hashLength: 32,
    outputType: "binary",
  });
let ready = Promise.resolve();

self.onmessage = async (event) => {
  if (event.data && event.data.warm) {
    ready = warm().catch(() => {}); // (a failure here is met, and said, by the real key)
    return;
  }
  const { id, password, salt, memoryKib, iterations, lanes, length } = event.data;
  try {
    await ready;
    const key = await self.hashwasm.argon2id({
      password,
      salt,
      parallelism: lanes,
      iterations,
      memorySize: memoryKib,
      hashLength: length,
      outputType: "binary",
    });
    self.postMessage({ id, key }, [key.buffer]);
  } catch (error) {
    self.postMessage({ id, error: String((error && error.message) || error) });
  }
};
