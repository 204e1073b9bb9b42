// Fills the search box's list of suggestions from /api/v1/suggest as the user types.
// The page works without it: the form submits to the server either way.
(function () {
  const box = document.getElementById("q");
  const list = document.getElementById("suggestions");
  if (!box || !list) return;
  const lang = document.documentElement.lang || "en";
  let pending;
  box.addEventListener("input", function () {
    clearTimeout(pending);
    const typed = box.value;
    if (typed.trim().length < 2) return;
    pending = setTimeout(async function () {
      try {
        const url = "/api/v1/suggest?limit=8&lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(typed);
        const response = await fetch(url);
        if (!response.ok) return;
        const found = await response.json();
        list.replaceChildren(...found.map(function (s) {
          const option = document.createElement("option");
          option.value = s.designation;
          option.label = s.title || "";
          return option;
        }));
      } catch (_) { /* suggestions are optional */ }
    }, 120);
  });
})();
