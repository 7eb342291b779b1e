-- Postings whose title, company and location are only an adapter's guesses from free text (Hacker
-- News "Who is hiring" comments), and what the model read from the text in their place. After a
-- successful analysis the model's values are written onto such postings (content_hash and
-- dedup_key stay those of the adapter's fields, so a re-fetch of the same text is unchanged).
alter table postings add column free_text boolean not null default false;

alter table analyses
  add column title    text check (title is null or length(title) between 1 and 300),
  add column company  text check (company is null or length(company) between 1 and 200),
  add column location text check (location is null or length(location) between 1 and 500);
