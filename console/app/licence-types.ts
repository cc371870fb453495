/**
 * The titles of the licence types and lifecycle processes, read once per page load from the public
 * `GET /v1/licence-types` (verified like every answer), so a licence type is named, not shown by id.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ok } from './api.js';
import type { Text } from './i18n.js';

let titles: Promise<Map<string, Text>> | undefined;

function load(): Promise<Map<string, Text>> {
  titles ??= api.GET('/v1/licence-types').then(ok)
    .then(({ items }) => new Map(items.map((item) => [item.id, item.title])))
    .catch(() => {
      titles = undefined;
      return new Map<string, Text>();
    });
  return titles;
}

/** The title of each licence type by id (empty until loaded; an unknown id keeps its id). */
export function useLicenceTypeTitles(): (id: string) => Text {
  const [map, setMap] = useState<Map<string, Text>>(new Map());
  useEffect(() => {
    let live = true;
    void load().then((m) => { if (live) setMap(m); });
    return () => { live = false; };
  }, []);
  return (id) => map.get(id) ?? { fa: id, en: id };
}
