/*
 * registry.c - model name -> model. One line per model.
 */
#include "model.h"
#include "models.h"

#include <stddef.h>
#include <string.h>

static const struct mmc_model *const models[] = {
    &mmc_model_mmc, &mmc_model_push, &mmc_model_pull, &mmc_model_steal, &mmc_model_place,
};

const struct mmc_model *mmc_model_find(const char *name)
{
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        if (strcmp(models[i]->name, name) == 0)
            return models[i];
    return NULL;
}
