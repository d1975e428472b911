"""Training loops (pretraining, LoRA, distillation), their determinism and torchrun support."""
