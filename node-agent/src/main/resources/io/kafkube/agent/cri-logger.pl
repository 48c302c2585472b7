# Writes what a container prints on one stream to its log file in kubelet's CRI log format, one entry per line:
#   2026-11-29T23:40:01.123456000Z stdout F the line
# (run as: perl cri-logger.pl STREAM FIFO LOG). It reads the container's end of a FIFO, so it outlives an agent
# restart as the container does, and ends when the container (and whatever inherited its output) has ended.
use strict;
use warnings;
use Time::HiRes ();
use POSIX ();

my ($stream, $fifo, $log) = @ARGV;
open(my $in, '<', $fifo) or die "cannot open $fifo: $!";
open(my $out, '>>', $log) or die "cannot open $log: $!";
binmode($in);
binmode($out);
$out->autoflush(1);
my $max = 16 * 1024;    # kubelet's maximum entry size: longer lines are split into partial (P) entries
while (1) {
  my $line = <$in>;
  last unless defined $line;
  while (length($line) > $max) {
    entry('P', substr($line, 0, $max, ''));
  }
  if ($line =~ s/\n\z//) {
    entry('F', $line);
  } else {
    entry('P', $line);
  }
}

sub entry {
  my ($tag, $text) = @_;
  my $t = Time::HiRes::time();
  my $s = int($t);
  my $ns = int(($t - $s) * 1e9);
  print $out POSIX::strftime('%Y-%m-%dT%H:%M:%S', gmtime($s)) . sprintf('.%09dZ', $ns) . " $stream $tag $text\n";
}
