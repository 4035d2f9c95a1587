package dev.absorb.cli;

import dev.absorb.format.DecimalText;
import dev.absorb.format.Format;
import dev.absorb.format.RoundingMode;
import dev.absorb.kernel.Recipe;
import dev.absorb.sweep.Family;
import dev.absorb.sweep.TargetPosition;
import picocli.CommandLine.ITypeConverter;

/** picocli converters for the domain types; each delegates to the type's own parser. */
final class Converters {

    private Converters() {
    }

    static final class FormatConverter implements ITypeConverter<Format> {
        @Override
        public Format convert(String value) throws Exception {
            return Errors.converter(Format::of).convert(value);
        }
    }

    static final class RoundingModeConverter implements ITypeConverter<RoundingMode> {
        @Override
        public RoundingMode convert(String value) throws Exception {
            return Errors.converter(RoundingMode::of).convert(value);
        }
    }

    static final class RecipeConverter implements ITypeConverter<Recipe> {
        @Override
        public Recipe convert(String value) throws Exception {
            return Errors.converter(Recipe::parse).convert(value);
        }
    }

    static final class FamilyConverter implements ITypeConverter<Family> {
        @Override
        public Family convert(String value) throws Exception {
            return Errors.converter(Family::of).convert(value);
        }
    }

    static final class TargetConverter implements ITypeConverter<TargetPosition> {
        @Override
        public TargetPosition convert(String value) throws Exception {
            return Errors.converter(TargetPosition::of).convert(value);
        }
    }

    /**
     * A finite number as {@link DecimalText#parse} reads it (decimals, hex floats; no type
     * suffix). NaN and infinities are refused: no option means anything by them.
     */
    static final class FiniteDoubleConverter implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) throws Exception {
            return Errors.converter(FiniteDoubleConverter::parse).convert(value);
        }

        static double parse(String text) {
            double x;
            try {
                x = DecimalText.parse(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a number");
            }
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("'" + text + "' is not a finite number (NaN and infinities are refused)");
            }
            return x;
        }
    }
}
