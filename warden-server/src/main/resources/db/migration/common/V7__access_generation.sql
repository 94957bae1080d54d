-- An org's access generation: bumped, in the same transaction, by every change that can alter
-- what someone of the org may see or do (people, groups and memberships, attributes and their
-- values, connections, their base roles and grants, models and activations, API keys). Each
-- request reads it with one indexed statement, and every node keys its caches of derived data
-- (attribute values, defaults, active models, connection grants, key owners) by (org,
-- generation): a change made on any node is seen by the very next request on every node.
ALTER TABLE orgs ADD COLUMN access_generation BIGINT NOT NULL DEFAULT 0;
