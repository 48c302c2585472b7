package io.kafkube.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

  @Test
  void keepsTopicsAndRecordsAcrossARestartOnTheSameDirectory(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("kafka");
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(data).build().start()) {
      try (Admin admin = Admin.create(kafka.clientProperties())) {
        admin.createTopics(List.of(new NewTopic("t", 2, (short) 1))).all().get();
      }
      Properties p = kafka.clientProperties();
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("t", "k", "v")).get();
      }
    }
    assertThat(Files.exists(data.resolve("kraft/meta.properties"))).isTrue();

    try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(data).build().start()) {
      Properties p = kafka.clientProperties();
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      p.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
      try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of("t"));
        ConsumerRecords<String, String> records = ConsumerRecords.empty();
        for (int i = 0; i < 50 && records.isEmpty(); i++) {
          records = consumer.poll(Duration.ofMillis(200));
        }
        assertThat(records.count()).isEqualTo(1);
        assertThat(records.iterator().next().value()).isEqualTo("v");
      }
      assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
    }
  }

  @Test
  void acceptsBrokerOverrides(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).config("num.partitions", "3").build().start();
         Admin admin = Admin.create(kafka.clientProperties())) {
      var config = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
          org.apache.kafka.common.config.ConfigResource.Type.BROKER, "1"))).all().get();
      assertThat(config.values().iterator().next().get("num.partitions").value()).isEqualTo("3");
    }
  }
}
