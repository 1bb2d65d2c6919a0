"""Data the rules match against: qualified names and keyword names, kept as data."""

from __future__ import annotations

import re

# GA103: deprecated AMP entry points -> (replacement, device argument).
DEPRECATED_AMP: dict[str, tuple[str, str]] = {
    "torch.cuda.amp.autocast": ("torch.amp.autocast", "cuda"),
    "torch.cuda.amp.autocast_mode.autocast": ("torch.amp.autocast", "cuda"),
    "torch.cuda.amp.GradScaler": ("torch.amp.GradScaler", "cuda"),
    "torch.cuda.amp.grad_scaler.GradScaler": ("torch.amp.GradScaler", "cuda"),
    "torch.cuda.amp.custom_fwd": ("torch.amp.custom_fwd", "cuda"),
    "torch.cuda.amp.custom_bwd": ("torch.amp.custom_bwd", "cuda"),
    "torch.cpu.amp.autocast": ("torch.amp.autocast", "cpu"),
    "torch.cpu.amp.autocast_mode.autocast": ("torch.amp.autocast", "cpu"),
    "torch.cpu.amp.GradScaler": ("torch.amp.GradScaler", "cpu"),
    "torch.cpu.amp.grad_scaler.GradScaler": ("torch.amp.GradScaler", "cpu"),
}
# Positional parameters of the deprecated constructors (the new ones take the device first).
DEPRECATED_AMP_POSITIONAL: dict[str, tuple[str, ...]] = {
    "torch.amp.autocast": ("enabled", "dtype", "cache_enabled"),
    "torch.amp.GradScaler": (
        "init_scale",
        "growth_factor",
        "backoff_factor",
        "growth_interval",
        "enabled",
    ),
}

DATALOADERS = frozenset({"torch.utils.data.DataLoader", "torch.utils.data.dataloader.DataLoader"})
TENSOR_DATASETS = frozenset(
    {"torch.utils.data.TensorDataset", "torch.utils.data.dataset.TensorDataset"}
)
# GA107's pin_memory target: CUDA or XPU named other than to seed its generator or to ask
# about it (``if torch.cuda.is_available(): torch.cuda.manual_seed(0)``,
# ``torch.cuda.get_device_name(0)``); the questions are listed once, in _ASKS_ONLY.
_ASKS_ONLY = r"manual_seed|is_available|is_built|get_device_name|get_device_properties|device_count"
CUDA_OR_XPU_TARGET = re.compile(rf"(?:cuda|xpu)(?!\.(?:{_ASKS_ONLY}))")
# Lightning/Fabric told to run on a GPU: `Trainer(accelerator="gpu", devices=...)`, `gpus=`.
GPU_TRAINER = re.compile(r"""\baccelerator\s*=\s*["'](?:gpu|cuda)["']|\bgpus\s*=\s*[1-9-]""")

# GA112: the legacy typed constructors that allocate on the GPU.
CUDA_TENSOR_TYPES = frozenset(
    f"torch.cuda.{kind}Tensor"
    for kind in (
        "Float",
        "Double",
        "Half",
        "BFloat16",
        "Long",
        "Int",
        "Short",
        "Char",
        "Byte",
        "Bool",
    )
)

# GA108: tensor methods that copy to the host and wait for the device.
HOST_SYNC_METHODS = frozenset({"item", "cpu", "numpy", "tolist"})

# GA115: calls that write a checkpoint (matched on the last part of the callee's name).
CHECKPOINT_CALLS = frozenset(
    {
        "save",
        "save_pretrained",
        "save_state",
        "save_checkpoint",
        "save_model",
        "save_file",
        "save_weights",
    }
)
# ``<module>.dump(obj, file)`` counts as a checkpoint for these serialisers only.
CHECKPOINT_DUMP_MODULES = frozenset(
    {"pickle", "_pickle", "cPickle", "joblib", "dill", "cloudpickle"}
)

# GA111: callees whose result is an evaluation (``val_loss = evaluate(model, val_loader)``).
EVALUATION_CALL_WORDS = ("eval", "valid", "test", "metric")
# Names that say "this iterates over data": ``len(list(train_loader))``.
DATA_NAME_WORDS = ("loader", "dataset", "data_iter")

# GA113: keywords and names that hold a training batch size.
TRAINING_BATCH_NAMES = frozenset(
    {
        "batch_size",
        "train_batch_size",
        "per_device_train_batch_size",
        "per_gpu_train_batch_size",
        "global_batch_size",
        "micro_batch_size",
    }
)
# Names containing these words are about evaluation, where large batches are harmless.
EVALUATION_WORDS = ("eval", "val", "test", "infer", "predict")

# GA101/GA104: what counts as using mixed precision.
AUTOCAST = frozenset(
    {
        "torch.autocast",
        "torch.amp.autocast",
        "torch.amp.autocast_mode.autocast",
        "torch.cuda.amp.autocast",
        "torch.cuda.amp.autocast_mode.autocast",
        "torch.cpu.amp.autocast",
        "torch.cpu.amp.autocast_mode.autocast",
    }
)
GRAD_SCALERS = frozenset(
    {
        "torch.amp.GradScaler",
        "torch.amp.grad_scaler.GradScaler",
        "torch.cuda.amp.GradScaler",
        "torch.cpu.amp.GradScaler",
        "torch.GradScaler",
    }
)
LOW_PRECISION_DTYPES = frozenset(
    {
        "torch.float16",
        "torch.half",
        "torch.bfloat16",
        "torch.float8_e4m3fn",
        "torch.float8_e5m2",
    }
)
LOW_PRECISION_DTYPE_NAMES = frozenset(name.rsplit(".", 1)[1] for name in LOW_PRECISION_DTYPES)
# Strings that choose low precision: dtype="bfloat16", precision="bf16-mixed", torch_dtype="auto".
LOW_PRECISION_STRINGS = frozenset(
    {"float16", "bfloat16", "half", "fp16", "bf16", "16", "16-mixed", "bf16-mixed", "auto"}
)
# Keywords, config keys and attributes that choose a precision (any value: an explicit choice).
PRECISION_SETTINGS = frozenset(
    {
        "fp16",
        "bf16",
        "amp",
        "use_amp",
        "enable_amp",
        "mixed_precision",
        "precision",
        "half_precision",
        "half_precision_backend",
        "fp16_opt_level",
        "autocast",
        "allow_tf32",
    }
)
# Frameworks that own the precision: constructor -> keywords that set it, positional slots.
FRAMEWORK_PRECISION: dict[str, tuple[tuple[str, ...], int]] = {
    "transformers.TrainingArguments": (("fp16", "bf16"), 1),
    "transformers.training_args.TrainingArguments": (("fp16", "bf16"), 1),
    "transformers.Seq2SeqTrainingArguments": (("fp16", "bf16"), 1),
    "transformers.training_args_seq2seq.Seq2SeqTrainingArguments": (("fp16", "bf16"), 1),
    "trl.SFTConfig": (("fp16", "bf16"), 1),
    "trl.DPOConfig": (("fp16", "bf16"), 1),
    "accelerate.Accelerator": (("mixed_precision", "fp16"), 2),  # fp16=True: the older spelling
    "accelerate.accelerator.Accelerator": (("mixed_precision", "fp16"), 2),
    "lightning.Fabric": (("precision",), 0),
    "lightning.fabric.Fabric": (("precision",), 0),
    "lightning_fabric.Fabric": (("precision",), 0),
    "lightning.Trainer": (("precision",), 0),
    "lightning.pytorch.Trainer": (("precision",), 0),
    "pytorch_lightning.Trainer": (("precision",), 0),
}
# Hugging Face trainers: without ``args`` they build default (FP32) TrainingArguments.
HF_TRAINERS = frozenset(
    {"transformers.Trainer", "transformers.trainer.Trainer", "transformers.Seq2SeqTrainer"}
)
# Text that says the training runs on an accelerator (mixed precision pays off there).
# Code that names an accelerator: "cuda" anywhere (`torch.cuda`, `.cuda()`, `"cuda:0"`,
# `args.no_cuda`), the words xpu/mps, or a `device` value (`.to(device)`, `device=device`,
# a parameter). Not `x.device` (wherever x already is), nor a `device=` / `device =` being
# bound (what it is bound to says), nor `per_device_...`.
DEVICE_MENTION = re.compile(
    rf"cuda(?!\.(?:{_ASKS_ONLY}))|\bxpu\b|\bmps\b|(?<![.\w])device\b(?!\s*=(?!=))"
    # a configured device: `args.device`, `CFG.device`, `self.device` (not a tensor's own)
    r"|(?i:\b(?:args|opts?|cfg|config|conf|hparams|hp|params|settings|flags|self)\.device\b)"
)
# Code that moves work to a device: `.cuda()`, `.to(...)`, a `device=` / `device_map=`
# argument. Code that only asks `torch.cuda.is_available()` moves nothing.
MOVES_WORK = re.compile(r"\.(?:cuda|xpu|to)\(|[(,]\s*device(?:_map)?\s*=(?!=)")
# An accelerator named other than to seed it or ask whether it is there or what it is
# (CPU code often calls `torch.cuda.manual_seed(0)` under `if torch.cuda.is_available():`,
# or prints `torch.cuda.get_device_name(0)` when there is one).
ACCELERATOR_WORDS = re.compile(rf"(?:cuda|\bxpu\b|\bmps\b)(?!\.(?:{_ASKS_ONLY}))")
# Lines that hold a comment (commented-out code such as `# .cuda()` runs nothing).
COMMENTED_LINE = re.compile(r"^.*#.*$", re.MULTILINE)

# GA104: callees that compute a loss, and cheap tensor methods that are not a forward pass.
LOSS_FUNCTION_NAMES = frozenset(
    {"cross_entropy", "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div"}
)
CHEAP_TENSOR_METHODS = frozenset(
    {
        "backward",
        "item",
        "float",
        "mean",
        "sum",
        "view",
        "reshape",
        "squeeze",
        "unsqueeze",
        "flatten",
        "permute",
        "transpose",
        "contiguous",
        "detach",
        "long",
        "scale",
        "size",
        "argmax",
    }
)

# GA105: torchvision model builders that have pretrained weights (torchvision.models.list_models()).
TORCHVISION_CLASSIFICATION = frozenset(
    [
        "alexnet",
        "convnext_base",
        "convnext_large",
        "convnext_small",
        "convnext_tiny",
        "densenet121",
        "densenet161",
        "densenet169",
        "densenet201",
        "efficientnet_b0",
        "efficientnet_b1",
        "efficientnet_b2",
        "efficientnet_b3",
        "efficientnet_b4",
        "efficientnet_b5",
        "efficientnet_b6",
        "efficientnet_b7",
        "efficientnet_v2_l",
        "efficientnet_v2_m",
        "efficientnet_v2_s",
        "googlenet",
        "inception_v3",
        "maxvit_t",
        "mnasnet0_5",
        "mnasnet0_75",
        "mnasnet1_0",
        "mnasnet1_3",
        "mobilenet_v2",
        "mobilenet_v3_large",
        "mobilenet_v3_small",
        "regnet_x_16gf",
        "regnet_x_1_6gf",
        "regnet_x_32gf",
        "regnet_x_3_2gf",
        "regnet_x_400mf",
        "regnet_x_800mf",
        "regnet_x_8gf",
        "regnet_y_128gf",
        "regnet_y_16gf",
        "regnet_y_1_6gf",
        "regnet_y_32gf",
        "regnet_y_3_2gf",
        "regnet_y_400mf",
        "regnet_y_800mf",
        "regnet_y_8gf",
        "resnet101",
        "resnet152",
        "resnet18",
        "resnet34",
        "resnet50",
        "resnext101_32x8d",
        "resnext101_64x4d",
        "resnext50_32x4d",
        "shufflenet_v2_x0_5",
        "shufflenet_v2_x1_0",
        "shufflenet_v2_x1_5",
        "shufflenet_v2_x2_0",
        "squeezenet1_0",
        "squeezenet1_1",
        "swin_b",
        "swin_s",
        "swin_t",
        "swin_v2_b",
        "swin_v2_s",
        "swin_v2_t",
        "vgg11",
        "vgg11_bn",
        "vgg13",
        "vgg13_bn",
        "vgg16",
        "vgg16_bn",
        "vgg19",
        "vgg19_bn",
        "vit_b_16",
        "vit_b_32",
        "vit_h_14",
        "vit_l_16",
        "vit_l_32",
        "wide_resnet101_2",
        "wide_resnet50_2",
    ]
)
# Classification builders whose legacy ``pretrained=True`` meant ``weights="IMAGENET1K_V1"``.
TORCHVISION_LEGACY_IMAGENET = TORCHVISION_CLASSIFICATION - {"vit_h_14", "regnet_y_128gf"}
# Detection/segmentation builders: ``weights_backbone`` is pretrained by default.
TORCHVISION_WITH_BACKBONE = frozenset(
    [
        "fasterrcnn_mobilenet_v3_large_320_fpn",
        "fasterrcnn_mobilenet_v3_large_fpn",
        "fasterrcnn_resnet50_fpn",
        "fasterrcnn_resnet50_fpn_v2",
        "fcos_resnet50_fpn",
        "keypointrcnn_resnet50_fpn",
        "maskrcnn_resnet50_fpn",
        "maskrcnn_resnet50_fpn_v2",
        "retinanet_resnet50_fpn",
        "retinanet_resnet50_fpn_v2",
        "ssd300_vgg16",
        "ssdlite320_mobilenet_v3_large",
        "deeplabv3_mobilenet_v3_large",
        "deeplabv3_resnet101",
        "deeplabv3_resnet50",
        "fcn_resnet101",
        "fcn_resnet50",
        "lraspp_mobilenet_v3_large",
    ]
)
TORCHVISION_VIDEO_AND_FLOW = frozenset(
    [
        "mvit_v1_b",
        "mvit_v2_s",
        "r2plus1d_18",
        "r3d_18",
        "mc3_18",
        "s3d",
        "swin3d_b",
        "swin3d_s",
        "swin3d_t",
        "raft_large",
        "raft_small",
    ]
)
# What a legacy ``pretrained=True`` loaded, builder by builder (torchvision's
# ``handle_legacy_interface``): the value a safe ``weights=`` rewrite must name.
TORCHVISION_LEGACY_WEIGHTS: dict[str, str] = {
    **{name: "IMAGENET1K_V1" for name in TORCHVISION_LEGACY_IMAGENET},
    **{
        name: "COCO_WITH_VOC_LABELS_V1"
        for name in TORCHVISION_WITH_BACKBONE
        if name.startswith(("deeplabv3_", "fcn_", "lraspp_"))
    },
    **{
        name: "COCO_V1"
        for name in TORCHVISION_WITH_BACKBONE
        if not name.startswith(("deeplabv3_", "fcn_", "lraspp_"))
    },
    **{name: "KINETICS400_V1" for name in ("r3d_18", "mc3_18", "r2plus1d_18")},
}
TORCHVISION_BUILDERS = (
    TORCHVISION_CLASSIFICATION | TORCHVISION_WITH_BACKBONE | TORCHVISION_VIDEO_AND_FLOW
)
TIMM_CREATE_MODEL = frozenset({"timm.create_model", "timm.models.create_model"})
# Text that says the random initialisation is overwritten by loaded weights.
WEIGHT_LOADING_MARKERS = (
    "load_state_dict",
    "load_checkpoint",
    "load_model",
    "torch.load",
    "safetensors",
    "resume_from_checkpoint",
    "load_pretrained",
)
# Text that says the module trains.
TRAINING_MARKERS = ("backward", ".fit(", "Trainer(", ".train(")

# GA106: what turns autograd off.
NO_GRAD = frozenset(
    {
        "torch.no_grad",
        "torch.inference_mode",
        "torch.autograd.no_grad",
        "torch.autograd.inference_mode",
        "torch.autograd.grad_mode.no_grad",
        "torch.autograd.grad_mode.inference_mode",
    }
)
SET_GRAD_ENABLED = frozenset(
    {
        "torch.set_grad_enabled",
        "torch.autograd.set_grad_enabled",
        "torch.autograd.grad_mode.set_grad_enabled",
    }
)
AUTOGRAD_CALLS = frozenset({"torch.autograd.grad", "torch.autograd.backward"})

# GA109: float64 dtypes, and NumPy functions whose result is float64 by default.
FLOAT64 = frozenset({"torch.float64", "torch.double"})
# Legacy typed constructors that make float64 tensors.
FLOAT64_TENSOR_TYPES = frozenset({"torch.DoubleTensor", "torch.cuda.DoubleTensor"})
NUMPY_FLOAT64 = frozenset({"numpy.float64", "numpy.double", "numpy.float_"})
NUMPY_FLOAT64_FACTORIES = frozenset(
    "numpy." + name
    for name in [
        "random.rand",
        "random.randn",
        "random.random",
        "random.uniform",
        "random.normal",
        "random.standard_normal",
        "random.random_sample",
        "zeros",
        "ones",
        "empty",
        "linspace",
        "loadtxt",
        "genfromtxt",
        "eye",
        "identity",
    ]
)
TENSOR_FROM_ARRAY = frozenset({"torch.from_numpy", "torch.tensor", "torch.as_tensor"})
# Calls where a float64 dtype is asked about, not computed with.
DTYPE_QUERIES = frozenset({"torch.finfo", "torch.iinfo", "isinstance", "torch.promote_types"})
# Methods that convert a tensor's dtype (so a float64 array fed to torch is converted).
DTYPE_CONVERSIONS = frozenset({"float", "half", "bfloat16", "to", "type"})

# GA112: tensor factories that accept ``device=``; the random ones draw different numbers on GPU.
TENSOR_FACTORIES = frozenset(
    "torch." + name
    for name in [
        "randn",
        "rand",
        "randint",
        "randperm",
        "zeros",
        "ones",
        "empty",
        "full",
        "arange",
        "linspace",
        "logspace",
        "eye",
        "tensor",
        "normal",
    ]
)
# GA112: the legacy CPU constructors, filled from data or sizes on the host, and the dtype
# each makes (None: the default dtype).
CPU_TENSOR_TYPES: dict[str, str | None] = {
    "torch.Tensor": None,
    "torch.FloatTensor": "torch.float32",
    "torch.DoubleTensor": "torch.float64",
    "torch.HalfTensor": "torch.float16",
    "torch.BFloat16Tensor": "torch.bfloat16",
    "torch.LongTensor": "torch.int64",
    "torch.IntTensor": "torch.int32",
    "torch.ShortTensor": "torch.int16",
    "torch.CharTensor": "torch.int8",
    "torch.ByteTensor": "torch.uint8",
    "torch.BoolTensor": "torch.bool",
}
# Wrappers that hand back the tensor they are given (old autograd code).
TENSOR_WRAPPERS = frozenset({"torch.autograd.Variable", "torch.autograd.variable.Variable"})
RANDOM_FACTORIES = frozenset(
    {"torch.randn", "torch.rand", "torch.randint", "torch.randperm", "torch.normal"}
)

# GA110: convolutions (with the 0-based position of ``bias``) and batch norms.
CONVOLUTIONS: dict[str, int] = {
    **{f"torch.nn.Conv{d}d": 7 for d in (1, 2, 3)},
    **{f"torch.nn.ConvTranspose{d}d": 7 for d in (1, 2, 3)},
    **{f"torch.nn.LazyConv{d}d": 6 for d in (1, 2, 3)},
    **{f"torch.nn.modules.conv.Conv{d}d": 7 for d in (1, 2, 3)},
}
# Their class names (``Conv2d``, ``LazyConv1d``...), for code that sees only the name.
CONVOLUTION_CLASSES = frozenset(name.rsplit(".", 1)[-1] for name in CONVOLUTIONS)
BATCH_NORMS = frozenset(
    {f"torch.nn.BatchNorm{d}d" for d in (1, 2, 3)}
    | {f"torch.nn.LazyBatchNorm{d}d" for d in (1, 2, 3)}
    | {f"torch.nn.modules.batchnorm.BatchNorm{d}d" for d in (1, 2, 3)}
    | {"torch.nn.SyncBatchNorm"}
)
SEQUENTIAL = frozenset({"torch.nn.Sequential", "torch.nn.modules.container.Sequential"})
ORDERED_DICT = frozenset({"collections.OrderedDict", "OrderedDict"})

# GA114: deprecated quantization entry points (torch.ao.quantization and torch.quantization).
DEPRECATED_QUANTIZATION_FUNCTIONS = frozenset(
    [
        "quantize_dynamic",
        "quantize",
        "quantize_qat",
        "prepare",
        "prepare_qat",
        "convert",
        "fuse_modules",
        "fuse_modules_qat",
        "prepare_fx",
        "prepare_qat_fx",
        "convert_fx",
        "quantize_jit",
        "quantize_dynamic_jit",
    ]
)
DEPRECATED_QUANTIZATION_PACKAGES = ("torch.ao.quantization.", "torch.quantization.")

# GA108, GA112: methods whose result is a view (or a host-side cast) of the CPU tensor
# they are called on.
HOST_VIEW_METHODS = frozenset(
    {
        "unsqueeze",
        "squeeze",
        "view",
        "reshape",
        "flatten",
        "contiguous",
        "long",
        "float",
        "expand",
        "permute",
        "transpose",
        "repeat",  # a copy, not a view; still on the host, so still looked through
    }
)

# Dtype casts on the host that a factory's dtype= could replace (views, `HOST_VIEW_METHODS`,
# are looked through too: `torch.tensor(ids).view(-1, 1).to(device)` is reported).
HOST_CAST_METHODS = frozenset({"long", "float", "int", "double", "half", "bool"})
# What a host tensor stays after: a view or a cast (GA108 host data, GA112 unwrapping).
HOST_SIDE_METHODS = HOST_VIEW_METHODS | HOST_CAST_METHODS
