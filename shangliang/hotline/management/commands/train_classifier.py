"""Train a new version of the hotline category model on the records people classified."""

from django.core.management.base import BaseCommand, CommandError

from shangliang.core.errors import DomainError
from shangliang.hotline import services


class Command(BaseCommand):
    help = "Train the hotline category model on the labelled records and make it the active version."

    def handle(self, *args, **options):
        try:
            trained = services.classifier_train(actor=None)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        figures = trained.figures
        self.stdout.write(
            f"v{trained.version}: {trained.training_size} records, "
            f"cross-validated macro-F1 {figures.get('macro_f1')}, accuracy {figures.get('accuracy')}"
        )
