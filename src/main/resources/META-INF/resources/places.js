// The page's places, each with an address: #run=<id> (or #runs), #compare=<ids>, #sweep=<id> (or #sweeps), #models,
// #settings. The address alone says what shows, so a reload or a shared link opens the same place, and the back
// button goes to the place before. Each section names the places it belongs to (data-places).
export const PLACES = ['runs', 'compare', 'sweeps', 'models', 'settings'];

/** The place an address names: runs for none or one not known. */
export function placeOf(hash) {
  const m = /^#([a-z]+)/.exec(hash);
  if (!m) return 'runs';
  const word = m[1];
  if (word === 'run' || word === 'runs') return 'runs';
  if (word === 'sweep' || word === 'sweeps') return 'sweeps';
  return PLACES.includes(word) ? word : 'runs';
}

function show() {
  const place = placeOf(location.hash);
  document.body.dataset.place = place;
  document.querySelectorAll('[data-places]').forEach((section) => {
    section.classList.toggle('off-place', !section.dataset.places.split(' ').includes(place));
  });
  document.querySelectorAll('nav.places a').forEach((link) => {
    if (link.dataset.place === place) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  });
}

window.addEventListener('hashchange', show);
show();
