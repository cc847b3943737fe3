#!/usr/bin/perl
# Import gzip'd mboxrd files into an existing public-inbox v2 inbox, through public-inbox's own
# Perl API (InboxWritable::import_mbox: the code public-inbox-watch and -mda share), indexing
# as it goes at the inbox's indexlevel. public-inbox 1.9 has no mbox import command; this is the
# smallest driver of its importer. Used by bench/lore/run.ts; needs PI_CONFIG.
#
#   perl bench/lore/import.pl INBOX-NAME FILE.mbox.gz...
use strict;
use warnings;
use PublicInbox::Config;
use PublicInbox::InboxWritable;

my $name = shift @ARGV or die "usage: import.pl INBOX-NAME FILE.mbox.gz...\n";
my $cfg = PublicInbox::Config->new;
my $ibx = $cfg->lookup_name($name) or die "no inbox '$name' in $ENV{PI_CONFIG}\n";
$ibx = PublicInbox::InboxWritable->new($ibx);
for my $f (@ARGV) {
	open(my $fh, '-|', 'gzip', '-dc', $f) or die "gzip -dc $f: $!\n";
	$ibx->import_mbox($fh, 'mboxrd');
	# MboxReader reads to the end; gzip's own failure shows in its exit status
	close $fh;
	die "gzip -dc $f failed\n" if $? >> 8;
}
