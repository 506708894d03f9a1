/*
 * models.h - every model the registry knows; each is one const struct
 * defined in its own file in models/.
 */
#ifndef MMC_MODELS_H
#define MMC_MODELS_H

#include "model.h"

/* M/M/c: one FCFS queue in front of c identical workers (mmc.c). */
extern const struct mmc_model mmc_model_mmc;

/* push dispatch: a queue per worker, filled by a dispatcher's policy (push.c). */
extern const struct mmc_model mmc_model_push;

/* pull: one central queue, idle workers request tasks across a round trip (pull.c). */
extern const struct mmc_model mmc_model_pull;

/* steal: a deque per worker, idle workers steal from others (steal.c). */
extern const struct mmc_model mmc_model_steal;

/* place: scheduler threads place container requests on workers with resources (place.c). */
extern const struct mmc_model mmc_model_place;

#endif
