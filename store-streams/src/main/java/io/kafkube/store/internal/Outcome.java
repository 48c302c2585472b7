package io.kafkube.store.internal;

import io.kafkube.schemas.envelope.Op;
import org.apache.avro.generic.GenericRecord;

/**
 * What applying one command decided: the reply, and whether (and how) the object changes. Pure data,
 * computed by {@link Mutations} and emitted by {@link CommandProcessor}.
 *
 * @param code    HTTP-style status code of the reply
 * @param reply   the object returned to the caller on success, or null
 * @param status  a meta.v1.Status on failure, or null
 * @param write   whether the object changes (state, history and, for pods, assignments)
 * @param key     the object's key (differs from the command's when a name was generated)
 * @param before  the object before (null when created)
 * @param after   the object after (null when removed)
 * @param verb    what happened, for history
 */
public record Outcome(int code, GenericRecord reply, GenericRecord status, boolean write, String key,
    GenericRecord before, GenericRecord after, Op verb) {

  static Outcome failure(GenericRecord status, String key) {
    int code = ((Number) status.get("code")).intValue();
    return new Outcome(code, null, status, false, key, null, null, null);
  }

  static Outcome unchanged(GenericRecord current, String key) {
    return new Outcome(200, current, null, false, key, current, current, null);
  }

  static Outcome changed(int code, String key, GenericRecord before, GenericRecord after, Op verb,
      GenericRecord reply) {
    return new Outcome(code, reply, null, true, key, before, after, verb);
  }

  public boolean success() {
    return code >= 200 && code < 300;
  }
}
