package io.kafkube.api.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Reads and writes {@code metadata.managedFields} of an object record ({@code ManagedFieldsEntry} items). */
public final class ManagedFieldsRecords {
  private static final String FIELD = "managedFields";

  private ManagedFieldsRecords() {}

  /** The entries of {@code obj}; a malformed entry is an IllegalArgumentException naming it. */
  public static List<ManagedEntry> read(GenericRecord obj) {
    GenericRecord md = Meta.metadata(obj);
    if (md == null || md.getSchema().getField(FIELD) == null || md.get(FIELD) == null) {
      return List.of();
    }
    List<ManagedEntry> out = new ArrayList<>();
    int i = 0;
    for (Object o : (List<?>) md.get(FIELD)) {
      GenericRecord e = (GenericRecord) o;
      String where = "metadata.managedFields[" + i++ + "]";
      String manager = str(e, "manager");
      String operation = str(e, "operation");
      if (!ManagedEntry.APPLY.equals(operation) && !ManagedEntry.UPDATE.equals(operation)) {
        throw new IllegalArgumentException(where + ".operation: must be Apply or Update, not \"" + operation + "\"");
      }
      String fieldsType = str(e, "fieldsType");
      if (fieldsType != null && !fieldsType.equals("FieldsV1")) {
        throw new IllegalArgumentException(where + ".fieldsType: must be FieldsV1, not \"" + fieldsType + "\"");
      }
      Object time = e.get("time");
      String fields = str(e, "fieldsV1");
      FieldSet set;
      try {
        set = fields == null ? FieldSet.EMPTY : FieldSet.fromFieldsV1(PathElement.MAPPER.readTree(fields));
      } catch (JsonProcessingException | IllegalArgumentException ex) {
        throw new IllegalArgumentException(where + ".fieldsV1: " + ex.getMessage(), ex);
      }
      out.add(new ManagedEntry(manager == null ? "" : manager, operation, str(e, "apiVersion"),
          time == null ? null : Instant.ofEpochMilli(((Number) time).longValue()), str(e, "subresource"), set));
    }
    return out;
  }

  /** Whether the record carries any managedFields entry. */
  public static boolean present(GenericRecord obj) {
    GenericRecord md = Meta.metadata(obj);
    return md != null && md.getSchema().getField(FIELD) != null && md.get(FIELD) instanceof List<?> l
        && !l.isEmpty();
  }

  /** Replaces the entries of {@code obj} (none: the field is cleared). */
  public static void write(GenericRecord obj, List<ManagedEntry> entries) {
    GenericRecord md = Meta.metadataOrCreate(obj);
    Schema.Field f = md.getSchema().getField(FIELD);
    if (f == null) {
      return;
    }
    if (entries.isEmpty()) {
      md.put(FIELD, null);
      return;
    }
    Schema arr = AvroPaths.nonNull(f.schema());
    Schema item = AvroPaths.nonNull(arr.getElementType());
    GenericData.Array<GenericRecord> out = new GenericData.Array<>(entries.size(), arr);
    for (ManagedEntry e : entries) {
      GenericRecord r = new GenericData.Record(item);
      r.put("manager", e.manager());
      r.put("operation", e.operation());
      r.put("apiVersion", e.apiVersion());
      r.put("time", e.time() == null ? null : e.time().truncatedTo(ChronoUnit.SECONDS).toEpochMilli());
      r.put("fieldsType", "FieldsV1");
      r.put("fieldsV1", e.fields().toFieldsV1Json());
      if (item.getField("subresource") != null) {
        r.put("subresource", e.subresource());
      }
      out.add(r);
    }
    md.put(FIELD, out);
  }

  private static String str(GenericRecord r, String field) {
    if (r.getSchema().getField(field) == null) {
      return null;
    }
    Object v = r.get(field);
    return v == null ? null : v.toString();
  }
}
