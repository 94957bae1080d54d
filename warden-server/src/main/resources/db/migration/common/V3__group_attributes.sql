-- Attribute values given to a group: every member has them unless they have their own value.
CREATE TABLE group_attribute_values (
    org_id      UUID NOT NULL REFERENCES orgs (id),
    group_id    UUID NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    name        VARCHAR(64) NOT NULL,
    ordinal     INTEGER NOT NULL,
    attr_value  VARCHAR(1000) NOT NULL,
    PRIMARY KEY (group_id, name, ordinal)
);
