// Loaded on pages with widgets, after require.js and before the widget manager.
(function () {
  // The widget manager locates its own files (fonts) from require.js module ids such as
  // "@jupyter-widgets/html-manager/dist/libembed-amd": resolve those ids under _static/,
  // where the build put the vendored copy, instead of relative to each page.
  var staticUrl = new URL(".", document.currentScript.src).href;
  require.config({ baseUrl: staticUrl });

  // ipywidgets typesets labels with MathJax 2's `MathJax.Hub.Queue`; the book loads
  // MathJax 3. Bridge the one call it makes before the widgets render.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.MathJax && !window.MathJax.Hub) {
      window.MathJax.Hub = {
        Queue: function (command) {
          var element = command[2];
          var ready = (window.MathJax.startup && window.MathJax.startup.promise) || Promise.resolve();
          ready.then(function () {
            if (window.MathJax.typesetPromise) {
              return window.MathJax.typesetPromise(element ? [element] : undefined);
            }
          });
        },
      };
    }
  });
})();
