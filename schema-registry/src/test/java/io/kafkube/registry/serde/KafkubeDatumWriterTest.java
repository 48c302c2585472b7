package io.kafkube.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class KafkubeDatumWriterTest {
  private static final Schema INNER = new Schema.Parser().parse("""
      {"type":"record","name":"Inner","fields":[
        {"name":"a","type":["null","string"],"default":null},
        {"name":"b","type":["long","null"],"default":0}]}""");
  private static final Schema OUTER = new Schema.Parser().addTypes(Map.of("Inner", INNER)).parse("""
      {"type":"record","name":"Outer","fields":[
        {"name":"name","type":"string"},
        {"name":"inner","type":["null","Inner"],"default":null},
        {"name":"items","type":["null",{"type":"array","items":"Inner"}],"default":null},
        {"name":"labels","type":["null",{"type":"map","values":"string"}],"default":null},
        {"name":"choice","type":["null","string","long","Inner"],"default":null},
        {"name":"flag","type":["boolean","null"],"default":false}]}""");
  // the envelope holds the same Outer schema instance, as kafkube's envelopes hold the kinds' schemas
  private static final Schema ENVELOPE = Schema.createRecord("Envelope", null, null, false, List.of(
      new Schema.Field("before", Schema.createUnion(Schema.create(Schema.Type.NULL), OUTER), null,
          Schema.Field.NULL_DEFAULT_VALUE),
      new Schema.Field("after", Schema.createUnion(Schema.create(Schema.Type.NULL), OUTER), null,
          Schema.Field.NULL_DEFAULT_VALUE)));

  private static GenericRecord inner(String a, Long b) {
    GenericRecord r = new GenericData.Record(INNER);
    r.put("a", a);
    r.put("b", b);
    return r;
  }

  private static GenericRecord outer(String name) {
    GenericRecord r = new GenericData.Record(OUTER);
    r.put("name", name);
    r.put("inner", inner("x", null));
    r.put("items", List.of(inner(null, 3L), inner("y", 4L)));
    r.put("labels", Map.of("app", "web"));
    r.put("choice", 42L);
    r.put("flag", null);
    return r;
  }

  private static byte[] write(DatumWriter<Object> writer, Object datum) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    writer.write(datum, enc);
    enc.flush();
    return out.toByteArray();
  }

  @Test
  void writesTheGenericWritersBytes() throws IOException {
    List<GenericRecord> cases = List.of(outer("full"), sparse(), withChoice(inner("z", 1L)), withChoice("text"));
    for (GenericRecord r : cases) {
      assertThat(write(new KafkubeDatumWriter<>(OUTER), r)).as(r.toString())
          .isEqualTo(write(new GenericDatumWriter<>(OUTER), r));
    }
  }

  @Test
  void aValueOfTheWrongTypeIsStillRefused() {
    GenericRecord r = sparse();
    r.put("inner", "not a record");
    assertThatThrownBy(() -> write(new KafkubeDatumWriter<>(OUTER), r)).isInstanceOf(RuntimeException.class);
  }

  @Test
  void aMarkedRecordIsEncodedOnceInAScope() throws IOException {
    GenericRecord after = outer("after");
    GenericRecord envelope = new GenericData.Record(ENVELOPE);
    envelope.put("after", after);
    byte[] expectedEnvelope = write(new GenericDatumWriter<>(ENVELOPE), envelope);
    byte[] expectedAfter = write(new GenericDatumWriter<>(OUTER), after);
    try (EncodedOnce scope = EncodedOnce.open()) {
      EncodedOnce.mark(after);
      assertThat(write(new KafkubeDatumWriter<>(OUTER), after)).isEqualTo(expectedAfter);
      // the second and later writes copy the first's bytes: a change made now is not seen (it breaks the
      // contract), which shows the copy
      after.put("name", "changed after marking");
      assertThat(write(new KafkubeDatumWriter<>(ENVELOPE), envelope)).isEqualTo(expectedEnvelope);
      assertThat(write(new KafkubeDatumWriter<>(OUTER), after)).isEqualTo(expectedAfter);
    }
    // outside the scope the record is encoded as it is
    assertThat(write(new KafkubeDatumWriter<>(OUTER), after))
        .isEqualTo(write(new GenericDatumWriter<>(OUTER), after)).isNotEqualTo(expectedAfter);
  }

  @Test
  void bytesAreCopiedForAnEqualSchemaInstanceAndNotForAnotherSchema() throws IOException {
    Schema copy = new Schema.Parser().parse(OUTER.toString());
    Schema other = new Schema.Parser().parse(OUTER.toString().replace("\"flag\"", "\"other\""));
    GenericRecord r = outer("r");
    byte[] first = write(new GenericDatumWriter<>(OUTER), r);
    try (EncodedOnce scope = EncodedOnce.open()) {
      EncodedOnce.mark(r);
      write(new KafkubeDatumWriter<>(OUTER), r);
      r.put("name", "changed");
      assertThat(copy).isNotSameAs(OUTER);
      assertThat(write(new KafkubeDatumWriter<>(copy), r)).isEqualTo(first);
      assertThat(write(new KafkubeDatumWriter<>(other), r)).isEqualTo(write(new GenericDatumWriter<>(other), r))
          .isNotEqualTo(first);
    }
  }

  @Test
  void unmarkedRecordsAndClosedScopesEncodeAfresh() throws IOException {
    GenericRecord r = outer("r");
    try (EncodedOnce scope = EncodedOnce.open()) {
      write(new KafkubeDatumWriter<>(OUTER), r);
      r.put("name", "changed");
      assertThat(write(new KafkubeDatumWriter<>(OUTER), r)).isEqualTo(write(new GenericDatumWriter<>(OUTER), r));
    }
    EncodedOnce.mark(r); // no scope: nothing to mark in
    r.put("name", "again");
    assertThat(write(new KafkubeDatumWriter<>(OUTER), r)).isEqualTo(write(new GenericDatumWriter<>(OUTER), r));
  }

  @Test
  void anEncodingCarriedIntoALaterScopeIsCopiedThereForAnEqualSchemaOnly() throws IOException {
    GenericRecord r = outer("r");
    byte[] first = write(new GenericDatumWriter<>(OUTER), r);
    EncodedOnce.Encoding carried;
    try (EncodedOnce scope = EncodedOnce.open()) {
      assertThat(EncodedOnce.encodingOf(r)).as("not marked").isNull();
      EncodedOnce.mark(r);
      assertThat(EncodedOnce.encodingOf(r)).as("marked, not written yet").isNull();
      write(new KafkubeDatumWriter<>(OUTER), r);
      carried = EncodedOnce.encodingOf(r);
    }
    assertThat(carried.bytes()).isEqualTo(first);
    assertThat(carried.schema()).isSameAs(OUTER);
    assertThat(EncodedOnce.encodingOf(r)).as("no scope open").isNull();

    r.put("name", "changed"); // breaks the contract, to show which bytes are written
    GenericRecord envelope = new GenericData.Record(ENVELOPE);
    envelope.put("before", r);
    try (EncodedOnce scope = EncodedOnce.open()) {
      EncodedOnce.mark(r, carried);
      assertThat(write(new KafkubeDatumWriter<>(new Schema.Parser().parse(OUTER.toString())), r)).isEqualTo(first);
      // before: branch 1 (zig-zag 2) and the carried bytes; after: branch 0, null
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      expected.write(2);
      expected.write(first);
      expected.write(0);
      assertThat(write(new KafkubeDatumWriter<>(ENVELOPE), envelope)).isEqualTo(expected.toByteArray());
      Schema other = new Schema.Parser().parse(OUTER.toString().replace("\"flag\"", "\"other\""));
      assertThat(write(new KafkubeDatumWriter<>(other), r)).isEqualTo(write(new GenericDatumWriter<>(other), r));
    }
    try (EncodedOnce scope = EncodedOnce.open()) {
      EncodedOnce.mark(r, null); // no encoding known: marked, encoded at its first write
      assertThat(write(new KafkubeDatumWriter<>(OUTER), r)).isEqualTo(write(new GenericDatumWriter<>(OUTER), r))
          .isNotEqualTo(first);
    }
  }

  @Test
  void scopesNest() throws IOException {
    GenericRecord r = outer("r");
    try (EncodedOnce outerScope = EncodedOnce.open()) {
      try (EncodedOnce innerScope = EncodedOnce.open()) {
        EncodedOnce.mark(r);
        write(new KafkubeDatumWriter<>(OUTER), r);
      }
      // the inner scope's marks ended with it
      r.put("name", "changed");
      assertThat(write(new KafkubeDatumWriter<>(OUTER), r)).isEqualTo(write(new GenericDatumWriter<>(OUTER), r));
    }
  }

  private static GenericRecord sparse() {
    GenericRecord r = new GenericData.Record(OUTER);
    r.put("name", "sparse");
    r.put("flag", true);
    return r;
  }

  private static GenericRecord withChoice(Object choice) {
    GenericRecord r = sparse();
    r.put("choice", choice);
    return r;
  }
}
