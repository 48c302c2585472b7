// Conformance of kafkube's schema registry with Confluent's JavaScript client
// (npm @confluentinc/schemaregistry).
//
// Usage: node conformance.mjs <registry-url> <work-dir>
// Reads <work-dir>/java-out.bin (written by kafkube's AvroSerializer, topic "java-topic"),
// writes <work-dir>/node-decoded.json (its decoding) and <work-dir>/node-out.bin (a record for
// kafkube's AvroDeserializer, topic "node-topic"). Prints one JSON line; exits non-zero on failure.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  SchemaRegistryClient, AvroSerializer, AvroDeserializer, SerdeType,
} from '@confluentinc/schemaregistry';

const [url, work] = process.argv.slice(2);

function check(cond, what) {
  if (!cond) {
    console.log(JSON.stringify({ ok: false, failed: what }));
    process.exit(1);
  }
}

const userV1 = JSON.stringify({
  type: 'record', name: 'NodeUser', namespace: 'io.kafkube.node',
  fields: [{ name: 'name', type: 'string' }, { name: 'age', type: 'int' }],
});
const userBad = JSON.stringify({
  type: 'record', name: 'NodeUser', namespace: 'io.kafkube.node',
  fields: [{ name: 'name', type: 'string' }, { name: 'age', type: 'int' }, { name: 'x', type: 'string' }],
});

const client = new SchemaRegistryClient({ baseURLs: [url], cacheCapacity: 100 });
const results = {};

const subject = 'node-users-value';
const id = await client.register(subject, { schemaType: 'AVRO', schema: userV1 });
results.register = id;
check(Number.isInteger(id) && id > 0, 'register returns an id');
const again = await client.register(subject, { schemaType: 'AVRO', schema: JSON.stringify(JSON.parse(userV1), null, 2) });
check(again === id, 'same schema reformatted gets the same id');

const info = await client.getBySubjectAndId(subject, id);
check(JSON.parse(info.schema).name === 'NodeUser', 'getBySubjectAndId returns the schema');

const latest = await client.getLatestSchemaMetadata(subject);
check(latest.id === id && latest.version === 1, 'getLatestSchemaMetadata');

const foundId = await client.getId(subject, { schemaType: 'AVRO', schema: userV1 });
check(foundId === id, 'getId (lookup)');

const versions = await client.getAllVersions(subject);
check(JSON.stringify(versions) === '[1]', 'getAllVersions ' + JSON.stringify(versions));

const subjects = await client.getAllSubjects();
check(subjects.includes(subject), 'getAllSubjects');

const compatible = await client.testCompatibility(subject, 'latest', { schemaType: 'AVRO', schema: userBad });
check(compatible === false, 'incompatible schema detected');

let failed = null;
try {
  await client.register(subject, { schemaType: 'AVRO', schema: userBad });
} catch (e) {
  failed = e;
}
check(failed !== null && failed.status === 409 && failed.errorCode === 409,
  'incompatible register answers 409: ' + (failed && `${failed.status} ${failed.errorCode} ${failed.message}`));

// Decode what kafkube's Java AvroSerializer wrote.
const deser = new AvroDeserializer(client, SerdeType.VALUE, {});
const javaBytes = readFileSync(join(work, 'java-out.bin'));
const decoded = await deser.deserialize('java-topic', javaBytes);
writeFileSync(join(work, 'node-decoded.json'), JSON.stringify(decoded));

// Serialize a record for kafkube's Java AvroDeserializer.
const ser = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true });
const topicSchema = JSON.stringify({
  type: 'record', name: 'NodePod', namespace: 'io.kafkube.node',
  fields: [{ name: 'name', type: 'string' }, { name: 'replicas', type: 'int' },
    { name: 'labels', type: { type: 'map', values: 'string' } }],
});
await client.register('node-topic-value', { schemaType: 'AVRO', schema: topicSchema });
const out = await ser.serialize('node-topic', { name: 'from-node', replicas: 7, labels: { app: 'web' } });
writeFileSync(join(work, 'node-out.bin'), out);
results.outLength = out.length;

results.ok = true;
console.log(JSON.stringify(results));
