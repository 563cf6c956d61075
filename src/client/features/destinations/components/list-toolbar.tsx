import { useEffect, useRef, useState } from 'react';
import { LIST_FILTER_NAMES, LIST_FILTERS, type ListFilterName, type ListSort } from '#shared/list-options';
import { navigate } from '#client/lib/router.tsx';
import { ALIAS_WORDS, screenValuesOf, withChange, type ListQuery } from '../lib/list-query.ts';

const SORT_LABEL: Record<ListSort | 'newest', string> = {
  newest: 'Newest first',
  name: 'Name, A to Z',
  '-name': 'Name, Z to A',
  '-last_check': 'Last check, newest first',
  last_check: 'Last check, oldest first',
  expires_at: 'Expiry, soonest first',
  '-expires_at': 'Expiry, latest first',
};

/** The words of a filter's value or alias. */
const wordFor = (name: ListFilterName, value: string) => ALIAS_WORDS[value] ?? (LIST_FILTERS[name].words as Record<string, string>)[value] ?? value;

/** Search, filters and order: each a part of the URL, so Back and links keep them. */
export function ListToolbar({ query }: { query: ListQuery }) {
  const [text, setText] = useState(query.q);
  // The URL follows the box a moment after typing stops (replacing, not stacking, history entries); a URL changed
  // elsewhere (Back, a link) puts its words back in the box.
  const sent = useRef(query.q);
  const latest = useRef(query);
  useEffect(() => {
    latest.current = query;
  });
  useEffect(() => {
    if (query.q === sent.current) return;
    sent.current = query.q;
    setText(query.q);
  }, [query.q]);
  useEffect(() => {
    if (text.trim() === sent.current) return;
    const timer = window.setTimeout(() => {
      sent.current = text.trim();
      navigate(withChange(latest.current, { q: text }), { replace: true });
    }, 250);
    return () => window.clearTimeout(timer);
  }, [text]);
  return (
    <form className="list-toolbar" role="search" aria-label="Find connectors" onSubmit={(event) => event.preventDefault()}>
      <div className="toolbar-field toolbar-search">
        <label htmlFor="list-q">Search</label>
        <input
          id="list-q"
          type="search"
          value={text}
          maxLength={200}
          placeholder="Name, bucket or endpoint"
          onChange={(event) => setText(event.target.value)}
        />
      </div>
      {LIST_FILTER_NAMES.map((name) => (
        <div className="toolbar-field" key={name}>
          <label htmlFor={`list-${name}`}>{LIST_FILTERS[name].label}</label>
          <select
            id={`list-${name}`}
            value={query[name] ?? ''}
            onChange={(event) => navigate(withChange(query, { [name]: event.target.value || null }))}
          >
            <option value="">Any</option>
            {screenValuesOf(name).map((value) => (
              <option key={value} value={value}>
                {wordFor(name, value)}
              </option>
            ))}
          </select>
        </div>
      ))}
      <div className="toolbar-field">
        <label htmlFor="list-sort">Sort by</label>
        <select
          id="list-sort"
          value={query.sort ?? ''}
          onChange={(event) => navigate(withChange(query, { sort: (event.target.value || null) as ListSort | null }))}
        >
          {(Object.keys(SORT_LABEL) as (ListSort | 'newest')[]).map((sort) => (
            <option key={sort} value={sort === 'newest' ? '' : sort}>
              {SORT_LABEL[sort]}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
