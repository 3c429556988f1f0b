/* The data phase of 4.4BSD's ftpd, which wu-ftpd and NetBSD ftpd (tnftpd) both keep: one table for both. */
#ifndef FTPSIM_DATA_PHASE_BSD_FTPD_H
#define FTPSIM_DATA_PHASE_BSD_FTPD_H

#include "data_phase.h"

extern const DataPhase data_phase_bsd_ftpd;

/* ServerPolicy.data_phase for a policy whose data phase is BSD ftpd's whatever its knobs. */
const DataPhase *data_phase_bsd_ftpd_for(gconstpointer state, const PortRequest *request);

#endif
