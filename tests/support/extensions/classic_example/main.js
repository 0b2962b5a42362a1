// An example classic (AMD) extension, as written for the classic notebook.
define(["base/js/namespace", "base/js/events"], function (Jupyter, events) {
  "use strict";
  function load_ipython_extension() {
    Jupyter.actions.register({ help: "Classic hello", handler: function () {
      document.body.dataset.classicHello = "yes";
    } }, "classic-hello", "example");
    events.on("kernel_ready.Kernel", function () {
      document.body.dataset.classicKernel = "ready";
    });
    document.body.dataset.classicExtension = "loaded";
  }
  return { load_ipython_extension: load_ipython_extension };
});
