"""Conformance of kafkube's schema registry with Confluent's Python client (Debian python3-confluent-kafka).

Usage: /usr/bin/python3 conformance.py <registry-url> <work-dir>

Uses both the current client (confluent_kafka.schema_registry.SchemaRegistryClient) and the legacy
Avro path (confluent_kafka.avro CachedSchemaRegistryClient + MessageSerializer, on python3-avro).
Reads <work-dir>/java-out.bin (written by kafkube's AvroSerializer), writes
<work-dir>/py-decoded.json (its decoding) and <work-dir>/py-out.bin (a record for kafkube's
AvroDeserializer). Prints one JSON line of results; exits non-zero on the first failed check.
"""
import json
import os
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.avro import CachedSchemaRegistryClient, loads
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

URL, WORK = sys.argv[1], sys.argv[2]

USER_V1 = json.dumps({"type": "record", "name": "PyUser", "namespace": "io.kafkube.py",
                      "fields": [{"name": "name", "type": "string"}, {"name": "age", "type": "int"}]})
USER_V2 = json.dumps({"type": "record", "name": "PyUser", "namespace": "io.kafkube.py",
                      "fields": [{"name": "name", "type": "string"}, {"name": "age", "type": "int"},
                                 {"name": "email", "type": ["null", "string"], "default": None}]})
USER_BAD = json.dumps({"type": "record", "name": "PyUser", "namespace": "io.kafkube.py",
                       "fields": [{"name": "name", "type": "string"}, {"name": "age", "type": "int"},
                                  {"name": "phone", "type": "string"}]})


def check(cond, what):
    if not cond:
        print(json.dumps({"ok": False, "failed": what}))
        sys.exit(1)


results = {}
client = SchemaRegistryClient({"url": URL})
subject = "py-users-value"

sid = client.register_schema(subject, Schema(USER_V1, "AVRO"))
results["register"] = sid
check(client.register_schema(subject, Schema(json.dumps(json.loads(USER_V1), indent=2), "AVRO")) == sid,
      "re-registering the same schema reformatted returns the same id")

fetched = client.get_schema(sid)
check(json.loads(fetched.schema_str) == json.loads(USER_V1), "get_schema returns the schema")
check(fetched.schema_type == "AVRO", "schema type AVRO")

latest = client.get_latest_version(subject)
check(latest.schema_id == sid and latest.version == 1 and latest.subject == subject, "get_latest_version")

found = client.lookup_schema(subject, Schema(USER_V1, "AVRO"))
check(found.schema_id == sid and found.version == 1, "lookup_schema")

check(client.test_compatibility(subject, Schema(USER_V2, "AVRO")) is True, "V2 is compatible")
check(client.test_compatibility(subject, Schema(USER_BAD, "AVRO")) is False, "BAD is not compatible")

try:
    client.register_schema(subject, Schema(USER_BAD, "AVRO"))
    check(False, "registering an incompatible schema fails")
except SchemaRegistryError as e:
    check(e.http_status_code == 409 and e.error_code == 409, "409 for incompatible, got %s" % e)

try:
    client.get_schema(987654)
    check(False, "unknown id fails")
except SchemaRegistryError as e:
    check(e.http_status_code == 404 and e.error_code == 40403, "40403 for unknown id, got %s" % e)

try:
    client.lookup_schema("py-nobody-value", Schema(USER_V1, "AVRO"))
    check(False, "lookup in an unknown subject fails")
except SchemaRegistryError as e:
    check(e.error_code == 40401, "40401 for unknown subject, got %s" % e)

sid2 = client.register_schema(subject, Schema(USER_V2, "AVRO"))
check(sid2 != sid, "V2 gets a new id")
check(client.get_versions(subject) == [1, 2], "versions [1, 2]")
check(subject in client.get_subjects(), "subject listed")

client.set_compatibility(subject_name=subject, level="FULL")
check(client.get_compatibility(subject) == "FULL", "subject compatibility FULL")
check(client.get_compatibility() == "BACKWARD", "global compatibility BACKWARD")

# Legacy Avro path: serialize for the Java deserializer and decode what the Java serializer wrote.
legacy = CachedSchemaRegistryClient({"url": URL})
serializer = MessageSerializer(legacy)
with open(os.path.join(WORK, "java-out.bin"), "rb") as f:
    decoded = serializer.decode_message(f.read())
with open(os.path.join(WORK, "py-decoded.json"), "w") as f:
    json.dump(decoded, f)

record = {"name": "from-python", "age": 42}
payload = serializer.encode_record_with_schema("py-topic", loads(USER_V1), record)
with open(os.path.join(WORK, "py-out.bin"), "wb") as f:
    f.write(payload)
legacy_id = legacy.register("py-topic-value", loads(USER_V1))
check(legacy_id == sid, "legacy client sees the same id for the same schema (%s vs %s)" % (legacy_id, sid))
check(legacy.get_by_id(sid2) is not None, "legacy get_by_id")
results["legacy_id"] = legacy_id

results["ok"] = True
print(json.dumps(results))
