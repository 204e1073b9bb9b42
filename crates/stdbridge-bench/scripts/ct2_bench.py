"""The CTranslate2 side of `stdbridge bench mt`: converts the same Hugging Face Marian model
with CTranslate2's converter (once, into CACHE) and translates the same source tokens with
the same settings (beam size, batch size, threads, exactly LENGTH output tokens: end of
sentence suppressed until then), in float32 and int8. Prints one JSON object per run.

    PYTHON ct2_bench.py --model DIR --cache DIR --inputs inputs.json --threads 1 \
        --batches 1,16,32 --beams 1,4 --length 64
"""

import argparse
import json
import os
import time

import ctranslate2


def convert(model, cache):
    if not os.path.exists(os.path.join(cache, "model.bin")):
        from ctranslate2.converters import TransformersConverter

        TransformersConverter(model).convert(cache, force=True)
    return cache


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--cache", required=True)
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--batches", required=True)
    parser.add_argument("--beams", required=True)
    parser.add_argument("--length", type=int, required=True)
    parser.add_argument("--compute", default="float32,int8")
    args = parser.parse_args()
    with open(args.inputs, encoding="utf-8") as f:
        inputs = json.load(f)
    tokens = inputs["pieces"]
    path = convert(args.model, args.cache)
    for compute in args.compute.split(","):
        translator = ctranslate2.Translator(
            path, device="cpu", compute_type=compute, intra_threads=args.threads, inter_threads=1
        )
        for beams in [int(b) for b in args.beams.split(",")]:
            for batch in [int(b) for b in args.batches.split(",")]:
                count = min(len(tokens), inputs["sentences_per_batch"][str(batch)])
                run = tokens[:count]
                options = dict(
                    beam_size=beams,
                    max_batch_size=batch,
                    batch_type="examples",
                    min_decoding_length=args.length,
                    max_decoding_length=args.length,
                )
                translator.translate_batch(run[:batch], **options)
                start = time.perf_counter()
                results = translator.translate_batch(run, **options)
                seconds = time.perf_counter() - start
                produced = sum(len(r.hypotheses[0]) for r in results)
                print(
                    json.dumps(
                        {
                            "engine": "ctranslate2 " + ctranslate2.__version__,
                            "compute": compute,
                            "threads": args.threads,
                            "beams": beams,
                            "batch": batch,
                            "sentences": count,
                            "tokens": produced,
                            "seconds": seconds,
                        }
                    ),
                    flush=True,
                )


if __name__ == "__main__":
    main()
