// Argon2id for the vault, in a worker of its own: hash-wasm (WebAssembly), byte for byte the
// same as pyca/cryptography's Argon2id. While it runs, Python and the screen carry on.
importScripts("hash-wasm/argon2.umd.min.js");

self.onmessage = async (event) => {
  const { id, password, salt, memoryKib, iterations, lanes, length } = event.data;
  try {
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
