package dev.warden.semantic.compile;

import dev.warden.semantic.model.Field;
import dev.warden.semantic.query.FieldRef;

/** A query's field reference checked against the model and the person's access. */
record ResolvedField(FieldRef ref, Field field) {}
