// JupyterLab's @jupyterlab/services KernelManager against a running Carnet server: start a
// kernel, run cells through its kernel connection (the v1 websocket protocol JupyterLab
// speaks), and report the execution_count of each cell's execute_input, execute_result and
// execute_reply. Prints one JSON line: a list of {code, input, result, reply, status, ename}.
// Usage: node services_execute.cjs BASE_URL TOKEN  (run with NODE_PATH=frontend/node_modules)

const { KernelManager, ServerConnection } = require("@jupyterlab/services");

const CELLS = [
  { code: "1+1" },
  { code: "x = 3" },
  { code: "x * 2" },
  { code: "1/0" },
  { code: "x + 1" },
  { code: "x + 2", silent: true },
  { code: "print(x)\nx + 3" },
  { code: "Out[3] + _6" },
];

async function run(kernel, cell) {
  const future = kernel.requestExecute({ code: cell.code, silent: Boolean(cell.silent), stop_on_error: false });
  const seen = { code: cell.code, input: [], result: [], reply: null, status: null, ename: null };
  future.onIOPub = (msg) => {
    const type = msg.header.msg_type;
    if (type === "execute_input") seen.input.push(msg.content.execution_count);
    if (type === "execute_result") seen.result.push(msg.content.execution_count);
    if (type === "error") seen.ename = msg.content.ename;
  };
  const reply = await future.done;
  seen.reply = reply.content.execution_count;
  seen.status = reply.content.status;
  return seen;
}

async function main() {
  const [baseUrl, token] = process.argv.slice(2);
  const serverSettings = ServerConnection.makeSettings({ baseUrl, token, appendToken: true });
  const manager = new KernelManager({ serverSettings });
  await manager.ready;
  const kernel = await manager.startNew({ name: "python3" });
  const cells = [];
  for (const cell of CELLS) cells.push(await run(kernel, cell));
  await kernel.shutdown();
  manager.dispose();
  console.log(JSON.stringify({ cells }));
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
