let counter = 0;

/** A numeric resource id like Vertex's (19 digits, increasing), unique within this process. */
export function newId(): string {
  counter = (counter + 1) % 1000;
  const micros = BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000));
  return (micros * 1000n + BigInt(counter)).toString().slice(-19);
}
