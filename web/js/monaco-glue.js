// Loads Monaco from this site's own vs/ folder (never a CDN) and gives the wasm app a
// three-function API. Kept tiny on purpose: all editor behaviour is decided in Rust.
(function () {
  "use strict";
  let loading = null;

  function loadMonaco() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (typeof window.require !== "function" || !window.require.config) {
          reject(new Error("the Monaco loader (vs/loader.js) did not load"));
          return;
        }
        window.require.config({ paths: { vs: new URL("vs", document.baseURI).href } });
        window.require(["vs/editor/editor.main"], function () { resolve(window.monaco); }, reject);
      });
    }
    return loading;
  }

  window.kubelabMonaco = {
    create: function (host, text, onChange) {
      return loadMonaco().then(function (monaco) {
        const editor = monaco.editor.create(host, {
          value: text,
          language: "yaml",
          automaticLayout: true,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          fontSize: 13,
          tabSize: 2,
          insertSpaces: true,
        });
        editor.onDidChangeModelContent(function () { onChange(editor.getValue()); });
        window.kubelabEditor = editor; // handy for tests and the browser console
        return editor;
      });
    },
    dispose: function (editor) {
      if (editor && typeof editor.dispose === "function") editor.dispose();
    },
  };
})();
