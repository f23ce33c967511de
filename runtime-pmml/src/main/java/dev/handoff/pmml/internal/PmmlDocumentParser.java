package dev.handoff.pmml.internal;

import dev.handoff.ModelFormat;
import dev.handoff.ModelLoadException;
import dev.handoff.spi.ScorerProvider.ModelSource;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.UnmarshalException;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.ValidationEvent;
import jakarta.xml.bind.ValidationEventLocator;
import org.dmg.pmml.PMML;
import org.dmg.pmml.ScoreDistributionTransformer;
import org.dmg.pmml.SimplifyingScoreDistributionTransformer;
import org.dmg.pmml.adapters.NodeAdapter;
import org.dmg.pmml.adapters.ScoreDistributionAdapter;
import org.dmg.pmml.tree.NodeTransformer;
import org.dmg.pmml.tree.SimplifyingNodeTransformer;
import org.jpmml.model.JAXBUtil;
import org.jpmml.model.SAXUtil;
import org.jpmml.model.filters.ImportFilter;
import org.jpmml.model.visitors.LocatorNullifier;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.XMLFilterImpl;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.sax.SAXSource;

/**
 * Reads a PMML document into JPMML's class model through a hardened SAX parser: no DTD, no external
 * entity, no XInclude is ever resolved, and element nesting and count are bounded.
 *
 * <p>It follows what JPMML's own {@code LoadingModelEvaluatorBuilder.load} does after parsing (the
 * {@link ImportFilter} that maps older PMML namespaces to 4.4, the simplifying tree transformers, the
 * evaluator's visitor battery, its interners done in one walk by {@link PmmlInterning}), so models behave exactly as
 * under plain JPMML; only the parser and that walk are ours.
 */
final class PmmlDocumentParser {
    private static final String DISALLOW_DOCTYPE = "http://apache.org/xml/features/disallow-doctype-decl";
    private static final String EXTERNAL_GENERAL_ENTITIES = "http://xml.org/sax/features/external-general-entities";
    private static final String EXTERNAL_PARAMETER_ENTITIES = "http://xml.org/sax/features/external-parameter-entities";
    private static final String LOAD_EXTERNAL_DTD = "http://apache.org/xml/features/nonvalidating/load-external-dtd";

    /** A JAXB message lists every element allowed at the spot; the first part is the useful one. */
    private static final String JAXB_EXPECTED_LIST = " Expected elements are ";

    private final int maxElementDepth;
    private final int maxElements;

    PmmlDocumentParser(int maxElementDepth, int maxElements) {
        this.maxElementDepth = maxElementDepth;
        this.maxElements = maxElements;
    }

    PMML parse(ModelSource source) {
        PMML pmml = unmarshal(source);
        PmmlInterning.applyBattery(pmml); // JPMML's ModelEvaluatorVisitorBattery, its seven interners in one walk
        return pmml;
    }

    /** The document as JAXB reads it, locators dropped, before the evaluator's visitor battery. */
    PMML unmarshal(ModelSource source) {
        XMLReader reader = SAXUtil.createFilteredReader(hardenedReader(source),
                new SizeLimit(maxElementDepth, maxElements), new ImportFilter());
        FirstProblem problem = new FirstProblem();
        Object root;
        // JPMML's adapters read these thread-locals while unmarshalling: the simplifying transformers
        // keep large tree ensembles compact in memory, as under LoadingModelEvaluatorBuilder
        NodeTransformer previousNodes = NodeAdapter.NODE_TRANSFORMER_PROVIDER.get();
        ScoreDistributionTransformer previousDistributions = ScoreDistributionAdapter.SCOREDISTRIBUTION_TRANSFORMER_PROVIDER.get();
        NodeAdapter.NODE_TRANSFORMER_PROVIDER.set(SimplifyingNodeTransformer.INSTANCE);
        ScoreDistributionAdapter.SCOREDISTRIBUTION_TRANSFORMER_PROVIDER.set(SimplifyingScoreDistributionTransformer.INSTANCE);
        try {
            Unmarshaller unmarshaller = JAXBUtil.getContext().createUnmarshaller();
            unmarshaller.setEventHandler(problem::record);
            root = unmarshaller.unmarshal(new SAXSource(reader, new InputSource(source.openStream())));
        } catch (UnmarshalException e) {
            throw failure(source, problem, e);
        } catch (JAXBException e) {
            throw new ModelLoadException(source.name(), ModelFormat.PMML, "the PMML class model cannot be set up ("
                    + e + "); is a Jakarta XML Binding runtime such as org.jpmml:pmml-evaluator-metro on the class path?", e);
        } finally {
            NodeAdapter.NODE_TRANSFORMER_PROVIDER.set(previousNodes);
            ScoreDistributionAdapter.SCOREDISTRIBUTION_TRANSFORMER_PROVIDER.set(previousDistributions);
        }
        if (!(root instanceof PMML pmml)) {
            throw new ModelLoadException(source.name(), ModelFormat.PMML, "the root element is not <PMML> but "
                    + (root == null ? "nothing" : root.getClass().getSimpleName()));
        }
        new LocatorNullifier().applyTo(pmml);
        return pmml;
    }

    /** The JDK's own parser, whatever else is on the class path, so that every hardening feature is known to exist. */
    private static XMLReader hardenedReader(ModelSource source) {
        try {
            SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setValidating(false);
            factory.setXIncludeAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature(DISALLOW_DOCTYPE, true);
            factory.setFeature(EXTERNAL_GENERAL_ENTITIES, false);
            factory.setFeature(EXTERNAL_PARAMETER_ENTITIES, false);
            factory.setFeature(LOAD_EXTERNAL_DTD, false);
            return factory.newSAXParser().getXMLReader();
        } catch (ParserConfigurationException | SAXException e) {
            throw new ModelLoadException(source.name(), ModelFormat.PMML,
                    "the JDK's XML parser cannot be configured to refuse DTDs and external entities (" + e + ")", e);
        }
    }

    private static ModelLoadException failure(ModelSource source, FirstProblem problem, UnmarshalException e) {
        TooLargeException large = find(e, TooLargeException.class);
        if (large != null) {
            return new ModelLoadException(source.name(), ModelFormat.PMML, large.getMessage(), e);
        }
        SAXParseException parse = find(e, SAXParseException.class);
        if (parse != null) {
            return new ModelLoadException(source.name(), ModelFormat.PMML, describe(parse), e);
        }
        if (problem.event != null) {
            return new ModelLoadException(source.name(), ModelFormat.PMML, "the document is not valid PMML: "
                    + at(problem.event.getLocator()) + shorten(problem.event.getMessage()), e);
        }
        return new ModelLoadException(source.name(), ModelFormat.PMML, "the document cannot be read as PMML: "
                + shorten(String.valueOf(e.getMessage())), e);
    }

    /** Searches the cause chain, including JAXB's linked exceptions and SAX's wrapped ones. */
    private static <T extends Throwable> T find(Throwable top, Class<T> type) {
        Throwable t = top;
        for (int hops = 0; t != null && hops < 16; hops++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            Throwable next = t.getCause();
            if (next == null && t instanceof JAXBException jaxb) {
                next = jaxb.getLinkedException();
            }
            if (next == null && t instanceof SAXException sax) {
                next = sax.getException();
            }
            t = next == t ? null : next;
        }
        return null;
    }

    private static String describe(SAXParseException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("DOCTYPE")) {
            return "the document declares a DTD (<!DOCTYPE>); DTDs and entities are never resolved in a PMML "
                    + "model, so the document is refused (remove the DOCTYPE declaration)";
        }
        return "the XML is not well-formed: line " + e.getLineNumber() + " column " + e.getColumnNumber() + ": " + message;
    }

    private static String at(ValidationEventLocator locator) {
        return locator == null || locator.getLineNumber() < 0 ? "" : "line " + locator.getLineNumber() + ": ";
    }

    private static String shorten(String message) {
        int cut = message.indexOf(JAXB_EXPECTED_LIST);
        return cut < 0 ? message : message.substring(0, cut);
    }

    /** Keeps the first error JAXB reports, and stops at it as JAXB's default handler does. */
    private static final class FirstProblem {
        private ValidationEvent event;

        boolean record(ValidationEvent e) {
            if (e.getSeverity() == ValidationEvent.WARNING) {
                return true;
            }
            if (event == null) {
                event = e;
            }
            return false;
        }
    }

    /**
     * Refuses documents nested deeper than the limit, before JPMML's recursive visitors see them, and
     * documents with more elements than the limit, before their class model fills the heap.
     */
    private static final class SizeLimit extends XMLFilterImpl {
        private final int maxDepth;
        private final int maxElements;
        private int depth;
        private int elements;

        SizeLimit(int maxDepth, int maxElements) {
            this.maxDepth = maxDepth;
            this.maxElements = maxElements;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            if (++depth > maxDepth) {
                throw new TooLargeException("elements are nested more than " + maxDepth + " levels deep (at <" + qName
                        + ">); raise PmmlOptions.maxElementDepth if this document is trusted");
            }
            if (++elements > maxElements) {
                throw new TooLargeException("the document has more than " + maxElements + " elements (at <" + qName
                        + ">); raise PmmlOptions.maxElements, and the heap, if this document is trusted");
            }
            super.startElement(uri, localName, qName, atts);
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            depth--;
            super.endElement(uri, localName, qName);
        }
    }

    private static final class TooLargeException extends SAXException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }
}
