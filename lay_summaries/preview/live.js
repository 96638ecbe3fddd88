/* lay serve: live reload, error overlay and reading-level panel. Preview only: never in site/. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("lay-preview-data").textContent);
  var overlay = null;

  function showErrors(problems) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "lay-error-overlay";
      overlay.setAttribute("role", "alertdialog");
      overlay.setAttribute("aria-labelledby", "lay-error-title");
      document.body.appendChild(overlay);
    }
    var html = '<div class="lay-error-box"><h2 id="lay-error-title">The site could not be rebuilt</h2>' +
      "<p>The page below is the last good build. Fix the problem and save: this message goes by itself.</p><ul>";
    for (var i = 0; i < problems.length; i++) {
      html += '<li><code class="lay-error-path"></code> <span class="lay-error-message"></span></li>';
    }
    overlay.innerHTML = html + "</ul></div>";
    var items = overlay.querySelectorAll("li");
    for (var j = 0; j < problems.length; j++) {
      items[j].querySelector(".lay-error-path").textContent = problems[j].path + ":" + problems[j].line + ":";
      items[j].querySelector(".lay-error-message").textContent = problems[j].message;
    }
  }

  function hideErrors() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function swapStyles(assets) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      for (var old in assets) {
        if (href.slice(-old.length) === old) {
          links[i].setAttribute("href", href.slice(0, href.length - old.length) + assets[old]);
        }
      }
    }
  }

  function highlight() {
    var marks = config.highlights || [];
    if (!marks.length) return;
    var main = document.querySelector("main") || document.body;
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    marks.forEach(function (mark) {
      var probe = mark.text.split(/\s+/).slice(0, 5).join(" ");
      for (var i = 0; i < nodes.length; i++) {
        var text = nodes[i].nodeValue.replace(/\s+/g, " ");
        var at = text.indexOf(probe);
        if (at < 0 || !nodes[i].parentNode) continue;
        var wrap = document.createElement("mark");
        wrap.className = "lay-flagged";
        wrap.title = mark.check + ": " + mark.message;
        nodes[i].parentNode.insertBefore(wrap, nodes[i]);
        wrap.appendChild(nodes[i]);
        break;
      }
    });
  }

  var source = new EventSource(config.events + "?version=" + config.version);
  source.addEventListener("reload", function () { window.location.reload(); });
  source.addEventListener("css", function (event) { swapStyles(JSON.parse(event.data)); });
  source.addEventListener("errors", function (event) {
    var problems = JSON.parse(event.data);
    if (problems.length) { showErrors(problems); } else { hideErrors(); }
  });
  if (config.problems && config.problems.length) showErrors(config.problems);
  highlight();
})();
