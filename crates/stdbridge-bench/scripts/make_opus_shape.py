"""A random-weight Marian model with exactly the architecture of Helsinki-NLP's
opus-mt-zh-en (d_model 512, 6 + 6 layers, 8 heads, FFN 2048, swish, vocabulary 65,001,
512 positions, 4 beams), in the layout Helsinki-NLP publishes, for `stdbridge bench mt`.
Its tokenizers are the test fixture's SentencePiece models; vocab.json is padded to the
full 65,001 entries. About 300 MB: not committed.

    .venv/bin/python crates/stdbridge-bench/scripts/make_opus_shape.py OUT_DIR
"""

import json
import os
import shutil
import sys

import torch
from transformers import GenerationConfig, MarianConfig, MarianMTModel

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "tiny-zh-en")
VOCAB = 65001


def main(out):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(FIXTURE, "vocab.json"), encoding="utf-8") as f:
        small = json.load(f)
    pieces = sorted(small, key=small.get)
    pieces = [p for p in pieces if p != "<pad>"]
    vocab = {p: i for i, p in enumerate(pieces)}
    n = len(vocab)
    while n < VOCAB - 1:
        vocab[f"\u2581w{n}"] = n
        n += 1
    vocab["<pad>"] = VOCAB - 1
    config = MarianConfig(
        vocab_size=VOCAB,
        decoder_vocab_size=VOCAB,
        d_model=512,
        encoder_layers=6,
        decoder_layers=6,
        encoder_attention_heads=8,
        decoder_attention_heads=8,
        encoder_ffn_dim=2048,
        decoder_ffn_dim=2048,
        activation_function="swish",
        max_position_embeddings=512,
        scale_embedding=True,
        pad_token_id=VOCAB - 1,
        eos_token_id=vocab["</s>"],
        decoder_start_token_id=VOCAB - 1,
        forced_eos_token_id=vocab["</s>"],
        share_encoder_decoder_embeddings=True,
    )
    torch.manual_seed(7)
    model = MarianMTModel(config).eval()
    model.generation_config = GenerationConfig(
        bad_words_ids=[[VOCAB - 1]],
        decoder_start_token_id=VOCAB - 1,
        eos_token_id=vocab["</s>"],
        forced_eos_token_id=vocab["</s>"],
        max_length=512,
        num_beams=4,
        pad_token_id=VOCAB - 1,
        renormalize_logits=True,
    )
    model.save_pretrained(out, safe_serialization=True)
    with open(os.path.join(out, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    for name in ["source.spm", "target.spm"]:
        shutil.copy(os.path.join(FIXTURE, name), os.path.join(out, name))
    with open(os.path.join(FIXTURE, "tokenizer_config.json"), encoding="utf-8") as f:
        tokenizer_config = json.load(f)
    tokenizer_config["added_tokens_decoder"] = {
        str(vocab[token]): {
            "content": token,
            "lstrip": False,
            "normalized": False,
            "rstrip": False,
            "single_word": False,
            "special": True,
        }
        for token in ["</s>", "<unk>", "<pad>"]
    }
    with open(os.path.join(out, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_config, f, ensure_ascii=False, indent=2)
    print(out)


if __name__ == "__main__":
    main(sys.argv[1])
