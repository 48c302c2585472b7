package io.kafkube.schemas.gen;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * The envelopes of kafkube's topics (DESIGN.md §2, §3), namespace {@code io.kafkube.v1}: what the
 * {@code commands}, {@code history} and {@code replies} topics carry around the kind records.
 * This class is their definition; the generator writes them to {@code avro/envelopes/*.avsc}.
 *
 * <p>{@code KINDS} below is the union {@code ["null", <every kind record>, KeyValue]}: an object
 * of any served kind, or a raw etcd-style entry.
 */
public final class EnvelopeSchemas {
  public static final String NAMESPACE = "io.kafkube.v1";

  /** The built envelope schemas. */
  public record Envelopes(
      Schema op, Schema keyValue, Schema userInfo, Schema preconditions,
      Schema command, Schema change, Schema reply) {}

  private EnvelopeSchemas() {}

  /**
   * @param kindRecords the kind records, in registry order (the order of the union branches)
   * @param status      the record of {@code meta.v1.Status}
   */
  public static Envelopes build(List<Schema> kindRecords, Schema status) {
    Schema op = SchemaBuilder.enumeration("Op").namespace(NAMESPACE)
        .symbols("CREATE", "UPDATE", "UPDATE_STATUS", "DELETE", "BIND");

    Schema keyValue = SchemaBuilder.record("KeyValue").namespace(NAMESPACE)
        .doc("A raw etcd-style entry: value bytes, the lease it is attached to, and its etcd revisions.")
        .fields()
        .name("value").type().bytesType().noDefault()
        .name("lease").type().optional().longType()
        .name("createRevision").doc("the revision that created the key (etcd create_revision); set by the store")
        .type().longType().longDefault(0L)
        .name("modRevision").doc("the revision of the last change of the key (etcd mod_revision); set by the store")
        .type().longType().longDefault(0L)
        .name("version").doc("how many times the key changed since it was created (etcd version); set by the store")
        .type().longType().longDefault(0L)
        .endRecord();

    Schema userInfo = SchemaBuilder.record("UserInfo").namespace(NAMESPACE)
        .doc("The identity a change was made by, as authenticated by the API server.")
        .fields()
        .name("username").type(string()).noDefault()
        .name("groups").type(Schema.createArray(string())).withDefault(List.of())
        .name("uid").type(optional(string())).withDefault(null)
        .endRecord();

    Schema preconditions = SchemaBuilder.record("Preconditions").namespace(NAMESPACE)
        .fields()
        .name("uid").type(optional(string())).withDefault(null)
        .name("resourceVersion").type(optional(string())).withDefault(null)
        .endRecord();

    List<Schema> kinds = new ArrayList<>();
    kinds.add(Schema.create(Schema.Type.NULL));
    kinds.addAll(kindRecords);
    kinds.add(keyValue);
    Schema kindsUnion = Schema.createUnion(kinds);

    Schema command = SchemaBuilder.record("Command").namespace(NAMESPACE)
        .doc("A request to change one object; the store applies it with its preconditions.")
        .fields()
        .name("op").type(op).noDefault()
        .name("key").doc("etcd-style object key, /registry/<resource>[.<group>]/<namespace>/<name>")
        .type(string()).noDefault()
        .name("resource").doc("group resource, e.g. pods or deployments.apps").type(string()).noDefault()
        .name("object").type(kindsUnion).withDefault(null)
        .name("preconditions").type(optional(preconditions)).withDefault(null)
        .name("nodeName").doc("BIND target").type(optional(string())).withDefault(null)
        .name("gracePeriodSeconds").type().optional().longType()
        .name("propagationPolicy").type(optional(string())).withDefault(null)
        .name("dryRun").type().booleanType().booleanDefault(false)
        .name("user").type(userInfo).noDefault()
        .name("requestId").type(string()).noDefault()
        .name("replyPartition").type().optional().intType()
        .name("timestamp").doc("when the command was sent").type(timestampMillis()).noDefault()
        .name("replyInHistory").doc("the sender reads history, and learns a create or an update that is written "
            + "from its Change: the store writes no Reply for it")
        .type().booleanType().booleanDefault(false)
        .endRecord();

    Schema change = SchemaBuilder.record("Change").namespace(NAMESPACE)
        .doc("One accepted change, as kept in the history topic.")
        .fields()
        .name("revision").type().longType().noDefault()
        .name("verb").type(op).noDefault()
        .name("key").type(string()).noDefault()
        .name("resource").type(string()).noDefault()
        .name("user").type(userInfo).noDefault()
        .name("time").type(timestampMillis()).noDefault()
        .name("requestId").type(string()).noDefault()
        .name("before").type(kindsUnion).withDefault(null)
        .name("after").type(kindsUnion).withDefault(null)
        .endRecord();

    Schema reply = SchemaBuilder.record("Reply").namespace(NAMESPACE)
        .doc("The store's answer to one command: the object written, or a Status.")
        .fields()
        .name("requestId").type(string()).noDefault()
        .name("code").doc("HTTP status code").type().intType().noDefault()
        .name("revision").type().longType().longDefault(-1L)
        .name("object").type(kindsUnion).withDefault(null)
        .name("status").type(optional(status)).withDefault(null)
        .name("replyPartition").doc("the partition of replies the asking client reads (copied from the Command)")
        .type().optional().intType()
        .endRecord();

    return new Envelopes(op, keyValue, userInfo, preconditions, command, change, reply);
  }

  private static Schema string() {
    return ProtoToAvro.string();
  }

  private static Schema optional(Schema s) {
    return ProtoToAvro.optional(s);
  }

  private static Schema timestampMillis() {
    return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
  }
}
