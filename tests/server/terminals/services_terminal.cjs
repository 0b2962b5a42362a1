// JupyterLab's @jupyterlab/services TerminalManager against a running Carnet server:
// start a terminal, exchange stdin/stdout, list it, shut it down. Prints one JSON line.
// Usage: node services_terminal.cjs BASE_URL TOKEN  (run with NODE_PATH=frontend/node_modules)

const { PageConfig } = require("@jupyterlab/coreutils");
const { ServerConnection, TerminalManager } = require("@jupyterlab/services");

async function main() {
  const [baseUrl, token] = process.argv.slice(2);
  // What a Jupyter server writes into JupyterLab's page config when it offers terminals.
  PageConfig.setOption("terminalsAvailable", "true");
  const serverSettings = ServerConnection.makeSettings({ baseUrl, token, appendToken: true });
  const manager = new TerminalManager({ serverSettings });
  await manager.ready;
  const terminal = await manager.startNew();
  let output = "";
  const answered = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer; output was ${JSON.stringify(output)}`)), 30000);
    terminal.messageReceived.connect((_, message) => {
      if (message.type === "stdout") output += String(message.content?.[0] ?? "");
      if (/^services-42\r?$/m.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const ready = () => terminal.connectionStatus === "connected";
  while (!ready()) await new Promise((r) => setTimeout(r, 20));
  terminal.send({ type: "stdin", content: ["echo services-$((6*7))\r"] });
  await answered;
  await manager.refreshRunning();
  const running = Array.from(manager.running()).map((m) => m.name);
  await terminal.shutdown();
  await manager.refreshRunning();
  const after = Array.from(manager.running()).map((m) => m.name);
  console.log(JSON.stringify({ name: terminal.name, running, after, sawOutput: output.includes("services-42") }));
  manager.dispose();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
