// node-fetch 2 is grammY's own HTTP client on Node and ships no types; grammY types its `fetch` option as loosely.
declare module "node-fetch" {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- grammY's request options pass through untouched
  const fetch: (url: string, init?: any) => Promise<any>;
  export default fetch;
}
