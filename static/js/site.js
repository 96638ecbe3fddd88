/* Optional, small and local: nothing on the site needs it to be read.
   Opened from disk (file://), folder links such as "summaries/x/" would show a folder
   listing; point them at the folder's index.html instead. */
(function () {
  if (window.location.protocol !== "file:") return;
  var links = document.querySelectorAll("a[href]");
  for (var i = 0; i < links.length; i++) {
    var href = links[i].getAttribute("href");
    if (/^[a-z]+:/i.test(href) || href.charAt(0) === "#") continue;
    var parts = href.split("#");
    if (parts[0] === "" ) continue;
    if (parts[0].slice(-1) === "/") {
      parts[0] += "index.html";
      links[i].setAttribute("href", parts.join("#"));
    }
  }
})();
