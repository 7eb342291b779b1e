-- How long queue jobs take, per queue and outcome, as histogram buckets: the worker processes add
-- to it as jobs settle and /metrics reads it, in whichever process serves HTTP. One row per
-- (queue, outcome, bucket), so it never grows with the number of jobs.
create table job_durations (
  queue    text not null,
  outcome  text not null check (outcome in ('completed', 'failed', 'dead_lettered')),
  -- the bucket's upper bound in seconds ('Infinity' for jobs slower than every bound)
  le       float8 not null,
  jobs     bigint not null default 0 check (jobs >= 0),
  seconds  float8 not null default 0,
  primary key (queue, outcome, le)
);
