package io.kafkube.schemas.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class AvroPathsTest {
  private static final Schema INNER = new Schema.Parser().parse("""
      {"type": "record", "name": "Inner", "fields": [{"name": "x", "type": ["null", "string"], "default": null}]}""");
  private static final Schema OUTER = new Schema.Parser().parse("""
      {"type": "record", "name": "Outer", "fields": [
        {"name": "name", "type": ["null", "string"], "default": null},
        {"name": "count", "type": ["null", "long"], "default": null},
        {"name": "inner", "type": ["null", %s], "default": null}]}""".formatted(INNER));

  @Test
  void aFieldReadsAsItsValueAndAMissingFieldOrRecordAsNull() {
    GenericRecord r = new GenericData.Record(OUTER);
    r.put("name", new Utf8("web"));
    r.put("count", 3L);
    assertThat(AvroPaths.value(r, "name")).isEqualTo(new Utf8("web"));
    assertThat(AvroPaths.string(r, "name")).isEqualTo("web");
    assertThat(AvroPaths.longValue(r, "count")).isEqualTo(3L);
    assertThat(AvroPaths.value(r, "inner")).isNull();
    assertThat(AvroPaths.record(r, "inner")).isNull();
    assertThat(AvroPaths.value(r, "noSuchField")).isNull();
    assertThat(AvroPaths.string(r, "noSuchField")).isNull();
    assertThat(AvroPaths.value(null, "name")).isNull();
    assertThat(AvroPaths.record(r, "name")).as("a string is not a record").isNull();
  }

  @Test
  void recordOrCreateKeepsTheRecordThereOrPutsANewOneAndRefusesAMissingField() {
    GenericRecord r = new GenericData.Record(OUTER);
    GenericRecord created = AvroPaths.recordOrCreate(r, "inner");
    assertThat(created.getSchema()).isEqualTo(INNER);
    assertThat(r.get("inner")).isSameAs(created);
    assertThat(AvroPaths.recordOrCreate(r, "inner")).isSameAs(created);
    assertThatThrownBy(() -> AvroPaths.recordOrCreate(r, "noSuchField"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noSuchField");
  }

  @Test
  void ownRecordPutsAShallowCopyInPlaceOfTheRecordThere() {
    GenericRecord r = new GenericData.Record(OUTER);
    GenericRecord shared = new GenericData.Record(INNER);
    shared.put("x", "a");
    r.put("inner", shared);
    GenericRecord own = AvroPaths.ownRecord(r, "inner");
    assertThat(own).isNotSameAs(shared).isEqualTo(shared);
    assertThat(r.get("inner")).isSameAs(own);
    own.put("x", "b");
    assertThat(shared.get("x")).isEqualTo("a");
    GenericRecord empty = new GenericData.Record(OUTER);
    assertThat(AvroPaths.ownRecord(empty, "inner").getSchema()).isEqualTo(INNER);
  }
}
