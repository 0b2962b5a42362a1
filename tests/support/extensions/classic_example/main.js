// An example classic (AMD) extension, as written for the classic notebook.
define(["base/js/namespace", "base/js/events"], function (Jupyter, events) {
  "use strict";
  function hello() {
    var count = Number(document.body.dataset.classicHello || 0) + 1;
    document.body.dataset.classicHello = String(count);
  }
  function load_ipython_extension() {
    var name = Jupyter.actions.register({ help: "Classic hello", handler: hello }, "classic-hello", "example");
    Jupyter.keyboard_manager.command_shortcuts.add_shortcut("shift-g", name);
    Jupyter.toolbar.add_buttons_group([{ label: "Classic", icon: "fa-star", callback: hello }]);
    events.on("kernel_ready.Kernel", function () {
      document.body.dataset.classicKernel = "ready";
    });
    document.body.dataset.classicExtension = "loaded";
  }
  return { load_ipython_extension: load_ipython_extension };
});
