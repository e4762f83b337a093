import json

from django.core.management.base import BaseCommand, CommandError

from ontwikkelmodel.content import CURRENT_VERSION, load_file


class Command(BaseCommand):
    help = "Print the Ontwikkelmodel TSO (the rubric) from its versioned content file."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "text"], default="text")
        # Not --version: every management command already has that option (Django's own version).
        parser.add_argument("--model-version", dest="model_version", default=CURRENT_VERSION)

    def handle(self, *args, **options):
        try:
            model = load_file(options["model_version"])
        except FileNotFoundError:
            raise CommandError(f"Geen inhoudsbestand voor versie {options['model_version']!r}.") from None
        if options["format"] == "json":
            data = model.to_dict()
            out = {
                "version": data["version"],
                "source": data["source"],
                "layers": [
                    {
                        "code": layer["code"],
                        "name": layer["name"],
                        "description": layer["description"],
                        "accents": layer["accents"],
                    }
                    for layer in data["layers"]
                ],
            }
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{model.title} (versie {model.version})\n{model.source}\n")
        for layer in model.layers:
            self.stdout.write(f"\nGroeilaag {layer.code}: {layer.full_name}\n{layer.description}\n")
            for accent in layer.accents:
                self.stdout.write(f"\n  {accent.code} {accent.name}")
                for phase, text in accent.phase_items():
                    self.stdout.write(f"    {model.phase_label(phase)}: {text}")
