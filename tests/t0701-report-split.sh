#!/bin/sh
# dossier-report with the scan of the period split between two threads
# (DOSSIER_REPORT_THREADS=2, the default on a large database): every
# test of t0700 gives the same answers, the worked-out cells among them.
DOSSIER_REPORT_THREADS=2 exec sh "$(dirname "$0")/t0700-report.sh"
